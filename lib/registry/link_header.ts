// The `Link: </v2/app/tags/list?n=100&last=v9>; rel="next"` header of a paged tag list (RFC 8288).

/** The absolute URL of the `rel="next"` link, or undefined on the last page. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const link of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(m[2]);
    if (rel && rel[1].split(/\s+/).includes("next")) return new URL(m[1], base).toString();
  }
  return undefined;
}
