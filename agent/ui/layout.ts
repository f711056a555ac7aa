// The page shell every view shares: head (styles, the live-update script), header, footer.
// The stylesheet is inline: the first paint needs no second request (the CSP allows exactly
// this stylesheet by its hash, see handler.ts).
import { STYLE_CSS } from "./assets/mod.ts";
import { escapeHtml } from "./format.ts";
import { warningsBanner } from "./warnings_html.ts";

export interface ShellOptions {
  title: string;
  /** "overview" or "object": tells the client which live updates to ask for. */
  page: "overview" | "object" | "error";
  /** The object's key on an object page. */
  objectKey?: string;
  body: string;
  /** Warnings about the agent itself, shown above everything else. */
  warnings?: readonly string[];
}

export function pageShell(o: ShellOptions): string {
  const key = o.objectKey ? ` data-key="${escapeHtml(o.objectKey)}"` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(o.title)} · skiff</title>
<link rel="icon" href="data:,">
<style>${STYLE_CSS}</style>
<script type="module" src="/ui/assets/app.js"></script>
</head>
<body data-page="${o.page}"${key}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/ui/">skiff</a><span class="muted">status</span>
<span id="live" class="live off" role="status" aria-live="polite">static</span>
</header>
<main id="main">
${warningsBanner(o.warnings ?? [])}
${o.body}
</main>
<footer>Read-only. Actions stay in the CLI: <code>skiff reconcile</code>, suspend, resume.</footer>
</body>
</html>
`;
}
