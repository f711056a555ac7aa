// Optional access control for the page: HTTP basic auth or a bearer token, taken from a
// Secret. Comparisons hash both sides first and compare the digests in constant time, so
// neither the content nor the length of a credential leaks through response timing.
import type { KubeObject } from "../../lib/kube/mod.ts";

export interface StatusPageAuth {
  basic?: { username: string; password: string };
  bearerToken?: string;
}

export class StatusPageAuthError extends Error {
  constructor(readonly secret: string, detail: string) {
    super(`status page auth: Secret ${secret}: ${detail}`);
    this.name = "StatusPageAuthError";
  }
}

const enc = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text)));
}

async function sameText(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/** True when the request carries one of the configured credentials (or none is configured). */
export async function isAuthorized(
  req: Request,
  auth: StatusPageAuth | undefined,
): Promise<boolean> {
  if (!auth?.basic && auth?.bearerToken === undefined) return true;
  const header = req.headers.get("authorization") ?? "";
  const space = header.indexOf(" ");
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === "bearer" && auth.bearerToken !== undefined) {
    return await sameText(value, auth.bearerToken);
  }
  if (scheme === "basic" && auth.basic) {
    let decoded: string;
    try {
      decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
    } catch {
      return false;
    }
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    // Both halves are always compared: which one was wrong does not show in the timing.
    const [user, pass] = await Promise.all([
      sameText(decoded.slice(0, colon), auth.basic.username),
      sameText(decoded.slice(colon + 1), auth.basic.password),
    ]);
    return user && pass;
  }
  return false;
}

/** The 401 answer: a browser asks for basic credentials only when basic auth is configured. */
export function unauthorized(auth: StatusPageAuth): Response {
  const headers = new Headers({ "content-type": "text/plain; charset=utf-8" });
  if (auth.basic) headers.set("www-authenticate", 'Basic realm="skiff status", charset="UTF-8"');
  else headers.set("www-authenticate", 'Bearer realm="skiff status"');
  return new Response("unauthorized\n", { status: 401, headers });
}

/**
 * Reads the credentials from a Secret: `username` and `password` for basic auth, `token` (or
 * `bearerToken`) for a bearer token; either or both.
 */
export function statusPageAuthFromSecret(secret: KubeObject): StatusPageAuth {
  const where = `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`;
  const data = (secret.data ?? {}) as Record<string, string>;
  const stringData = (secret.stringData ?? {}) as Record<string, string>;
  const read = (k: string): string | undefined => {
    if (stringData[k] !== undefined) return stringData[k];
    if (data[k] === undefined) return undefined;
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(data[k]), (c) => c.charCodeAt(0)));
    } catch {
      throw new StatusPageAuthError(where, `data.${k} is not valid base64`);
    }
  };
  const username = read("username");
  const password = read("password");
  const token = read("token") ?? read("bearerToken");
  if ((username === undefined) !== (password === undefined)) {
    throw new StatusPageAuthError(where, "basic auth needs both data.username and data.password");
  }
  if (username === undefined && token === undefined) {
    throw new StatusPageAuthError(
      where,
      "expected data.username and data.password (basic auth) or data.token (bearer token)",
    );
  }
  return {
    basic: username !== undefined ? { username, password: password! } : undefined,
    bearerToken: token,
  };
}
