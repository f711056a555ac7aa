// Sprig's urlParse and urlJoin, following Go's net/url parsing and URL.String().
import { type FuncMap, type GoMap, GoPanic, typed } from "../gotemplate/mod.ts";
import { kindName } from "./cast.ts";

interface GoUrl {
  scheme: string;
  opaque: string;
  user: string | null;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function unescape(s: string, what: string): string {
  try {
    return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, () => {
      throw new Error(`invalid URL escape`);
    }));
  } catch {
    const bad = /%(?![0-9a-fA-F]{2}).{0,2}/.exec(s)?.[0] ?? s;
    throw new GoPanic(
      `unable to parse url: parse ${JSON.stringify(what)}: invalid URL escape ${
        JSON.stringify(bad)
      }`,
    );
  }
}

/** url.Parse. */
function parse(raw: string): GoUrl {
  const u: GoUrl = {
    scheme: "",
    opaque: "",
    user: null,
    host: "",
    path: "",
    rawQuery: "",
    fragment: "",
  };
  let rest = raw;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    u.fragment = unescape(rest.slice(hash + 1), raw);
    rest = rest.slice(0, hash);
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    u.scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (/^[^/?]*:/.test(rest) && !rest.startsWith("/")) {
    if (/^[0-9+.-]/.test(rest) || rest.startsWith(":")) {
      throw new GoPanic(
        `unable to parse url: parse ${JSON.stringify(raw)}: missing protocol scheme`,
      );
    }
  }
  const q = rest.indexOf("?");
  if (q >= 0) {
    u.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith("/") && u.scheme !== "") {
    u.opaque = rest;
    return u;
  }
  if ((u.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    const end = rest.indexOf("/", 2);
    let authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      u.user = authority.slice(0, at);
      authority = authority.slice(at + 1);
    }
    u.host = unescape(authority, raw);
  }
  u.path = unescape(rest, raw);
  return u;
}

function hostname(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.lastIndexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

function userString(user: string): string {
  const colon = user.indexOf(":");
  const name = colon < 0 ? user : user.slice(0, colon);
  const pass = colon < 0 ? undefined : user.slice(colon + 1);
  const esc = (s: string) =>
    encodeURIComponent(decodeURIComponent(s)).replace(/%3B/gi, ";").replace(/%3D/gi, "=").replace(
      /%24/gi,
      "$",
    ).replace(/%2C/gi, ",").replace(/%26/gi, "&").replace(/%2B/gi, "+").replace(
      /[!'()*]/g,
      (c) => c,
    );
  return pass === undefined ? esc(name) : `${esc(name)}:${esc(pass)}`;
}

function escapePath(p: string): string {
  return encodeURI(p).replace(/%5B/gi, "[").replace(/%5D/gi, "]").replace(/\?/g, "%3F").replace(
    /#/g,
    "%23",
  );
}

function urlParse(v: string): GoMap {
  const u = parse(v);
  return {
    scheme: u.scheme,
    host: u.host,
    hostname: hostname(u.host),
    path: u.path,
    query: u.rawQuery,
    opaque: u.opaque,
    fragment: u.fragment,
    userinfo: u.user === null ? "" : userString(u.user),
  };
}

function field(d: GoMap | null, key: string): string {
  if (!d || !Object.hasOwn(d, key)) return "";
  const v = d[key];
  if (typeof v !== "string") {
    throw new GoPanic(
      `unable to parse ${key} key, must be of type string, but ${
        v === null ? "invalid" : kindName(v)
      } found`,
    );
  }
  return v;
}

/** URL.String(). */
function urlJoin(d: GoMap | null): string {
  const scheme = field(d, "scheme");
  const host = field(d, "host");
  const path = field(d, "path");
  const query = field(d, "query");
  const opaque = field(d, "opaque");
  const fragment = field(d, "fragment");
  const userinfo = field(d, "userinfo");
  let out = "";
  if (scheme) out += scheme + ":";
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += "//";
      if (userinfo) out += userString(userinfo) + "@";
      if (host) out += encodeURI(host).replace(/%5B/gi, "[").replace(/%5D/gi, "]");
    }
    let p = escapePath(path);
    if (p && !p.startsWith("/") && host) p = "/" + p;
    if (out === "" && /^[^/]*:/.test(p)) p = "./" + p;
    out += p;
  }
  if (query) out += "?" + query;
  if (fragment) {
    out += "#" + encodeURIComponent(fragment).replace(/%2F/gi, "/").replace(/%3F/gi, "?");
  }
  return out;
}

export const urlFuncs: FuncMap = {
  urlParse: typed(["string"], urlParse),
  urlJoin: typed(["map"], urlJoin),
};
