// The status page as one request handler the agent's server mounts: it answers /ui/... (and
// sends / there) and returns undefined for every other path, so the server falls through to
// its own routes. Read-only by design: anything but GET and HEAD is refused.
import { CLIENT_JS, STYLE_CSS } from "./assets/mod.ts";
import { isAuthorized, type StatusPageAuth, unauthorized } from "./auth.ts";
import { applyQuery, parseQuery } from "./filter.ts";
import { notFoundPage, objectPage } from "./object_html.ts";
import { overviewPage } from "./overview_html.ts";
import type { StatusPageSource } from "./source.ts";
import { eventStream } from "./sse.ts";

export interface StatusPageOptions {
  auth?: StatusPageAuth;
  /** The clock for relative times (tests pass a fixed one). */
  now?: () => number;
}

export type StatusPageHandler = (req: Request) => Promise<Response | undefined>;

/** Scripts, styles and connections only from this origin; no framing, no referrer. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export function createStatusPage(
  source: StatusPageSource,
  options: StatusPageOptions = {},
): StatusPageHandler {
  const now = options.now ?? Date.now;
  return async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path !== "/" && path !== "/ui" && !path.startsWith("/ui/")) return undefined;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return respond(req, "the status page is read-only\n", "text/plain; charset=utf-8", 405, {
        allow: "GET, HEAD",
      });
    }
    if (!(await isAuthorized(req, options.auth))) return unauthorized(options.auth!);
    if (path === "/" || path === "/ui") {
      return new Response(null, { status: 308, headers: { location: "/ui/" } });
    }
    if (path === "/ui/") {
      const all = source.overview();
      const query = parseQuery(url.searchParams);
      return html(req, overviewPage(all, applyQuery(all, query), query, now()));
    }
    if (path.startsWith("/ui/object/")) {
      const key = objectKeyOf(path.slice("/ui/object/".length));
      const details = key === undefined ? undefined : await source.details(key);
      if (!details) return html(req, notFoundPage(key ?? path), 404);
      return html(req, objectPage(details, now()));
    }
    if (path === "/ui/events") {
      return eventStream(source, {
        object: url.searchParams.get("object") ?? undefined,
        signal: req.signal,
        now,
      });
    }
    if (path === "/ui/assets/style.css") {
      return respond(req, STYLE_CSS, "text/css; charset=utf-8", 200, CACHE);
    }
    if (path === "/ui/assets/app.js") {
      return respond(req, CLIENT_JS, "text/javascript; charset=utf-8", 200, CACHE);
    }
    return respond(req, "not found\n", "text/plain; charset=utf-8", 404);
  };
}

/** Assets change only with the binary; an hour keeps reloads cheap without going stale long. */
const CACHE = { "cache-control": "public, max-age=3600" };

/** `Kind/namespace/name`, each part percent-decoded; undefined when the path has another shape. */
function objectKeyOf(rest: string): string | undefined {
  const parts = rest.split("/");
  if (parts.length !== 3 || parts.some((p) => p === "")) return undefined;
  try {
    return parts.map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

function html(req: Request, body: string, status = 200): Response {
  return respond(req, body, "text/html; charset=utf-8", status, { "cache-control": "no-store" });
}

function respond(
  req: Request,
  body: string,
  type: string,
  status: number,
  extra: Record<string, string> = {},
): Response {
  return new Response(req.method === "HEAD" ? null : body, {
    status,
    headers: { "content-type": type, ...SECURITY_HEADERS, ...extra },
  });
}
