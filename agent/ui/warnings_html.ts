// Warnings about the agent itself (e.g. a second agent on the cluster without leader
// election): a banner at the top of every page. The element is always there, hidden when there
// is nothing to say, so a live update can fill or empty it in place.
import { escapeHtml } from "./format.ts";

export function warningsBanner(warnings: readonly string[]): string {
  if (warnings.length === 0) {
    return `<section id="warnings" class="warnings" aria-label="Agent warnings" hidden></section>`;
  }
  const items = warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  // role="alert": a warning that appears while the page is open is read out at once.
  return `<section id="warnings" class="warnings" role="alert" aria-label="Agent warnings">
<strong>${warnings.length === 1 ? "Agent warning" : `${warnings.length} agent warnings`}</strong>
<ul>${items}</ul>
</section>`;
}
