// How values read on the page: short revisions, times relative to now, durations, escaping.

/**
 * `main@sha1:0123456789abcdef…` → `main@0123456`; an image policy's `registry/app:1.2.3` →
 * `1.2.3` (the selected tag); chart versions stay as they are.
 */
export function shortRevision(revision: string | undefined, kind?: string): string {
  if (!revision) return "";
  if (kind === "ImagePolicy") {
    const colon = revision.lastIndexOf(":");
    if (colon > revision.lastIndexOf("/")) return revision.slice(colon + 1);
  }
  // A bare commit SHA (an automation's last push) gets the same 7 characters.
  if (/^[0-9a-f]{40}$/.test(revision)) return revision.slice(0, 7);
  return revision.replace(/\b(?:sha1|sha256|sha512):([0-9a-f]{7})[0-9a-f]+/g, "$1");
}

/** "12 s ago", "in 4 min", with the ISO time kept for a tooltip and `<time datetime>`. */
export function relativeTime(iso: string | undefined, now: number): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  const amount = abs < 60
    ? `${abs} s`
    : abs < 3600
    ? `${Math.round(abs / 60)} min`
    : abs < 86400
    ? `${Math.round(abs / 3600)} h`
    : `${Math.round(abs / 86400)} d`;
  if (abs < 1) return "now";
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return "";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text and attribute values in HTML. Every value from the source goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The path segment of an object's page: each part of the key percent-encoded. */
export function objectPath(key: string): string {
  return `/ui/object/${key.split("/").map(encodeURIComponent).join("/")}`;
}
