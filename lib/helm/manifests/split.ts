// Helm's SplitManifests: documents separated by `---` lines, each trimmed, empty ones dropped.

// Go's \s is [\t\n\f\r ] (no vertical tab or unicode spaces).
const SEPARATOR = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/;

/** strings.TrimSpace (JS trim differs only in also trimming a BOM). */
export function goTrimSpace(s: string): string {
  return s.trim();
}

export function splitManifests(text: string): string[] {
  const out: string[] = [];
  for (const d of goTrimSpace(text).split(SEPARATOR)) {
    if (d === "") continue;
    out.push(goTrimSpace(d));
  }
  return out;
}
