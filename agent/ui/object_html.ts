// An object's page: facts, root cause, dependency chain, what uses it, inventory tree,
// reconcile history, drift corrections, image tags and the config document. Each section has
// an id so a live update replaces only the sections that changed.
import { duration, escapeHtml, objectPath } from "./format.ts";
import { pageShell } from "./layout.ts";
import { revisionText, stateBadges, timeCell } from "./overview_html.ts";
import type { DependencyLink, InventoryItem, ObjectDetails, ReconcileRecord } from "./source.ts";
import { STATE_WORDS, stateLabel } from "./state_label.ts";

export function objectPage(
  d: ObjectDetails,
  now: number,
  warnings: readonly string[] = [],
): string {
  const { row } = d;
  const body = `<nav aria-label="Breadcrumb"><a href="/ui/">Overview</a> › ${
    escapeHtml(row.kind)
  }</nav>
<h1><span class="kind">${escapeHtml(row.kind)}</span> ${escapeHtml(row.namespace)}/${
    escapeHtml(row.name)
  }</h1>
<div id="details">
${objectSections(d, now)}
</div>`;
  return pageShell({
    title: `${row.kind} ${row.namespace}/${row.name}`,
    page: "object",
    objectKey: row.key,
    body,
    warnings,
  });
}

/** Everything below the title; live updates send this. */
export function objectSections(d: ObjectDetails, now: number): string {
  return [
    facts(d, now),
    chain(d.dependencies),
    usedBy(d),
    d.images ? images(d) : "",
    inventory(d),
    history(d.history, now),
    drift(d, now),
    config(d),
  ].join("\n");
}

function facts(d: ObjectDetails, now: number): string {
  const r = d.row;
  const cause = d.rootCause
    ? `<div class="callout" id="root-cause"><strong>Root cause:</strong> ${
      escapeHtml(d.rootCause)
    }</div>`
    : "";
  const attempted = r.lastAttemptedRevision && r.lastAttemptedRevision !== r.revision
    ? `<dt>Last attempted</dt><dd>${revisionText(r.lastAttemptedRevision)}</dd>`
    : "";
  return `<section id="facts" aria-labelledby="facts-h">
<h2 id="facts-h" class="visually-hidden">Status</h2>
${cause}
<dl class="facts">
<dt>State</dt><dd>${stateBadges(r)} <span class="muted">${escapeHtml(r.reason)}</span></dd>
<dt>Message</dt><dd class="msg">${escapeHtml(r.message)}</dd>
${
    r.lastError && r.lastError !== r.message
      ? `<dt>Last error</dt><dd class="msg">${escapeHtml(r.lastError)}</dd>`
      : ""
  }
<dt>Revision</dt><dd>${revisionText(r.revision)}</dd>
${attempted}
<dt>Last applied</dt><dd>${timeCell(r.lastAppliedTime, now)}</dd>
<dt>Last reconcile</dt><dd>${timeCell(r.lastReconcileTime, now)}${
    r.lastDurationMs !== undefined
      ? ` <span class="muted">(${duration(r.lastDurationMs)})</span>`
      : ""
  }</dd>
<dt>Next run</dt><dd>${r.suspended ? "suspended" : timeCell(r.nextRunTime, now)}</dd>
</dl>
</section>`;
}

function linkBadge(l: DependencyLink): string {
  const label = stateLabel(l.ready, l.reason);
  return `<span class="badge s-${label}">${STATE_WORDS[label]}</span>`;
}

function chain(links: DependencyLink[]): string {
  const items = links.map((l) =>
    `<li class="depth-${Math.min(l.depth, 6)}">${linkBadge(l)} <span class="muted">${
      l.relation === "source" ? "source" : "depends on"
    }</span> <a href="${escapeHtml(objectPath(l.key))}">${escapeHtml(l.key)}</a>${
      l.ready === "True" ? "" : ` <span class="muted">— ${escapeHtml(l.message)}</span>`
    }</li>`
  ).join("\n");
  return `<section id="chain" aria-labelledby="chain-h">
<h2 id="chain-h">Dependencies</h2>
${
    links.length
      ? `<ol class="chain">\n${items}\n</ol>`
      : `<p class="muted">No source or dependsOn.</p>`
  }
</section>`;
}

/** A source's consumers and a dependency's dependants; nothing when nothing uses it. */
function usedBy(d: ObjectDetails): string {
  const links = d.dependants ?? [];
  if (links.length === 0) return "";
  const items = links.map((l) => {
    const label = stateLabel(l.ready, l.reason);
    return `<li><span class="badge s-${label}">${STATE_WORDS[label]}</span> <a href="${
      escapeHtml(objectPath(l.key))
    }">${escapeHtml(l.key)}</a> <span class="muted">${
      l.relation === "source" ? "renders from it" : "depends on it"
    }</span></li>`;
  }).join("\n");
  return `<section id="used-by" aria-labelledby="used-by-h">
<h2 id="used-by-h">Used by <span class="muted">(${links.length})</span></h2>
<ul class="used-by">
${items}
</ul>
</section>`;
}

/** Kinds that apply objects to the cluster; other kinds' pages have no inventory section. */
const APPLIERS = new Set(["Kustomization", "HelmRelease"]);

function images(d: ObjectDetails): string {
  const i = d.images!;
  const tags = i.tags.map((t) => `<li class="mono">${escapeHtml(t)}</li>`).join("");
  return `<section id="images" aria-labelledby="images-h">
<h2 id="images-h">Image tags</h2>
${
    i.latestImage
      ? `<p>Latest image: <strong class="mono">${escapeHtml(i.latestImage)}</strong></p>`
      : ""
  }
${
    i.tagCount
      ? `<p class="muted">${i.tagCount} tag${i.tagCount === 1 ? "" : "s"} seen${
        i.tags.length < i.tagCount ? `, the highest ${i.tags.length} shown` : ""
      }:</p><ul class="tags">${tags}</ul>`
      : `<p class="muted">No scan yet.</p>`
  }
</section>`;
}

function inventory(d: ObjectDetails): string {
  if (!APPLIERS.has(d.row.kind) && d.inventory.length === 0 && !d.inventoryNote) return "";
  const byNamespace = new Map<string, Map<string, InventoryItem[]>>();
  for (const item of d.inventory) {
    const kinds = byNamespace.get(item.namespace) ?? new Map<string, InventoryItem[]>();
    kinds.set(item.kind, [...(kinds.get(item.kind) ?? []), item]);
    byNamespace.set(item.namespace, kinds);
  }
  const namespaces = [...byNamespace.keys()].sort().map((ns) => {
    const kinds = byNamespace.get(ns)!;
    const total = [...kinds.values()].reduce((n, l) => n + l.length, 0);
    const kindItems = [...kinds.keys()].sort().map((kind) => {
      const objects = kinds.get(kind)!.map((o) =>
        `<li><span class="badge h-${o.health.toLowerCase()}">${escapeHtml(o.health)}</span> ${
          escapeHtml(o.name)
        }${
          o.health === "Current"
            ? ""
            : ` <span class="muted">— ${escapeHtml(o.healthMessage)}</span>`
        }</li>`
      ).join("");
      return `<li><details open><summary>${escapeHtml(kind)} <span class="muted">(${
        kinds.get(kind)!.length
      })</span></summary><ul>${objects}</ul></details></li>`;
    }).join("");
    return `<li><details open><summary><strong>${
      ns ? escapeHtml(ns) : "(cluster-scoped)"
    }</strong> <span class="muted">(${total})</span></summary><ul>${kindItems}</ul></details></li>`;
  }).join("\n");
  const note = d.inventoryNote ? `<p class="muted">${escapeHtml(d.inventoryNote)}</p>` : "";
  return `<section id="inventory" aria-labelledby="inventory-h">
<h2 id="inventory-h">Inventory <span class="muted">(${d.inventory.length})</span></h2>
${note}${
    d.inventory.length
      ? `<ul class="tree">\n${namespaces}\n</ul>`
      : `<p class="muted">Nothing applied.</p>`
  }
</section>`;
}

function count(n: number | undefined): string {
  return n === undefined ? `<span class="muted">–</span>` : String(n);
}

function history(records: ReconcileRecord[], now: number): string {
  const rows = records.map((h) => {
    const label = stateLabel(h.ready, h.reason);
    return `<tr><td class="nowrap">${timeCell(h.time, now)}</td>
<td class="nowrap"><span class="badge s-${label}">${STATE_WORDS[label]}</span>${
      h.driftCorrected ? ` <span class="badge s-waiting">drift corrected</span>` : ""
    }</td>
<td class="nowrap">${revisionText(h.revision)}</td>
<td class="nowrap">${duration(h.durationMs)}</td>
<td>${count(h.created)}</td><td>${count(h.configured)}</td><td>${count(h.pruned)}</td>
<td class="msg">${escapeHtml(h.message)}</td></tr>`;
  }).join("\n");
  return `<section id="history" aria-labelledby="history-h">
<h2 id="history-h">Recent reconciles</h2>
${
    records.length
      ? `<div class="table-wrap"><table><thead><tr><th scope="col">When</th><th scope="col">Result</th><th scope="col">Revision</th><th scope="col">Duration</th><th scope="col">Created</th><th scope="col">Configured</th><th scope="col">Pruned</th><th scope="col">Message</th></tr></thead><tbody>
${rows}
</tbody></table></div>`
      : `<p class="muted">Not reconciled yet.</p>`
  }
</section>`;
}

function drift(d: ObjectDetails, now: number): string {
  if (d.row.kind !== "Kustomization" && d.drift.length === 0) return "";
  const items = d.drift.map((r) =>
    `<li>${timeCell(r.time, now)} at ${revisionText(r.revision)}: put back ${
      r.corrected.map((c) => `<span class="mono">${escapeHtml(c)}</span>`).join(", ")
    }</li>`
  ).join("\n");
  return `<section id="drift" aria-labelledby="drift-h">
<h2 id="drift-h">Drift corrections</h2>
${
    d.drift.length
      ? `<ul>\n${items}\n</ul>`
      : `<p class="muted">No change outside Git seen since the agent started.</p>`
  }
</section>`;
}

function config(d: ObjectDetails): string {
  return `<section id="config" aria-labelledby="config-h">
<h2 id="config-h">Config document</h2>
${
    d.configYaml
      ? `<pre class="yaml" tabindex="0"><code>${escapeHtml(d.configYaml)}</code></pre>`
      : `<p class="muted">Not available.</p>`
  }
</section>`;
}

export function notFoundPage(key: string, warnings: readonly string[] = []): string {
  return pageShell({
    title: "Not found",
    page: "error",
    warnings,
    body: `<h1>Not found</h1><p>The agent does not reconcile <code>${escapeHtml(key)}</code>.</p>
<p><a href="/ui/">Back to the overview</a></p>`,
  });
}
