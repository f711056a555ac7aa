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

/**
 * Scripts and connections only from this origin, only the page's own inline stylesheet (by
 * its hash), no framing, no referrer.
 */
async function securityHeaders(): Promise<Record<string, string>> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(STYLE_CSS));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  return {
    "content-security-policy":
      `default-src 'none'; script-src 'self'; style-src 'sha256-${hash}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  };
}

export function createStatusPage(
  source: StatusPageSource,
  options: StatusPageOptions = {},
): StatusPageHandler {
  const now = options.now ?? Date.now;
  const security = securityHeaders();
  return async (req) => {
    const respond = async (
      body: string,
      type: string,
      status: number,
      extra: Record<string, string> = {},
    ) =>
      new Response(req.method === "HEAD" ? null : body, {
        status,
        headers: { "content-type": type, ...(await security), ...extra },
      });
    const html = (body: string, status = 200) =>
      respond(body, "text/html; charset=utf-8", status, { "cache-control": "no-store" });
    const url = new URL(req.url);
    const path = url.pathname;
    if (path !== "/" && path !== "/ui" && !path.startsWith("/ui/")) return undefined;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return respond("the status page is read-only\n", "text/plain; charset=utf-8", 405, {
        allow: "GET, HEAD",
      });
    }
    if (!(await isAuthorized(req, options.auth))) return unauthorized(options.auth!);
    if (path === "/" || path === "/ui") {
      return new Response(null, { status: 308, headers: { location: "/ui/" } });
    }
    const warnings = () => source.warnings?.() ?? [];
    if (path === "/ui/") {
      const all = source.overview();
      const query = parseQuery(url.searchParams);
      return html(overviewPage(all, applyQuery(all, query), query, now(), warnings()));
    }
    if (path.startsWith("/ui/object/")) {
      const key = objectKeyOf(path.slice("/ui/object/".length));
      const details = key === undefined ? undefined : await source.details(key);
      if (!details) return html(notFoundPage(key ?? path, warnings()), 404);
      return html(objectPage(details, now(), warnings()));
    }
    if (path === "/ui/events") {
      // No req.signal here: Deno cancels the body stream when the browser goes away, and
      // that is what ends the subscription (see eventStream's cancel).
      return eventStream(source, { object: url.searchParams.get("object") ?? undefined, now });
    }
    if (path === "/ui/assets/app.js") {
      return respond(CLIENT_JS, "text/javascript; charset=utf-8", 200, CACHE);
    }
    return respond("not found\n", "text/plain; charset=utf-8", 404);
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
