// The overview: one row per object, a filter form that works without JavaScript, sortable
// column headers (links), and a one-line summary of states.
import { escapeHtml, objectPath, relativeTime, shortRevision } from "./format.ts";
import { type OverviewQuery, searchText, type SortColumn } from "./filter.ts";
import { pageShell } from "./layout.ts";
import type { OverviewRow } from "./source.ts";
import { STATE_WORDS, type StateLabel, stateLabel } from "./state_label.ts";

/** The state badge (and a second one when suspended). */
export function stateBadges(row: Pick<OverviewRow, "ready" | "reason" | "suspended">): string {
  const label = stateLabel(row.ready, row.reason);
  const badge = `<span class="badge s-${label}">${STATE_WORDS[label]}</span>`;
  return row.suspended ? `${badge} <span class="badge s-suspended">Suspended</span>` : badge;
}

export function timeCell(iso: string | undefined, now: number): string {
  if (!iso) return `<span class="muted">–</span>`;
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}" data-rel>${
    escapeHtml(relativeTime(iso, now))
  }</time>`;
}

export function revisionText(revision: string | undefined, kind?: string): string {
  if (!revision) return `<span class="muted">–</span>`;
  return `<span class="mono" title="${escapeHtml(revision)}">${
    escapeHtml(shortRevision(revision, kind))
  }</span>`;
}

/** One row; also sent alone by the live updates. */
export function overviewRow(row: OverviewRow, now: number): string {
  const label = stateLabel(row.ready, row.reason);
  const message = row.lastError ?? row.message;
  return `<tr data-key="${escapeHtml(row.key)}" data-kind="${
    escapeHtml(row.kind)
  }" data-namespace="${
    escapeHtml(row.namespace)
  }" data-state="${label}" data-suspended="${row.suspended}" data-text="${
    escapeHtml(searchText(row))
  }">
<td class="nowrap">${stateBadges(row)}</td>
<td class="kind">${escapeHtml(row.kind)}</td>
<td class="nowrap"><a href="${escapeHtml(objectPath(row.key))}">${
    escapeHtml(row.name)
  }</a><br><span class="muted">${escapeHtml(row.namespace)}</span></td>
<td class="nowrap">${
    !row.revision && row.lastAttemptedRevision
      ? `<span class="muted">tried</span> ${revisionText(row.lastAttemptedRevision)}`
      : revisionText(row.revision, row.kind)
  }</td>
<td class="nowrap hide-narrow">${timeCell(row.lastAppliedTime, now)}</td>
<td class="nowrap hide-narrow">${row.suspended ? "suspended" : timeCell(row.nextRunTime, now)}</td>
<td class="msg">${escapeHtml(message)}</td>
</tr>`;
}

export function summaryLine(rows: OverviewRow[]): string {
  const counts = new Map<StateLabel, number>();
  for (const r of rows) {
    const label = stateLabel(r.ready, r.reason);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const suspended = rows.filter((r) => r.suspended).length;
  const parts = (["ready", "failed", "waiting", "progressing"] as StateLabel[])
    .filter((l) => counts.get(l))
    .map((l) => `${counts.get(l)} ${STATE_WORDS[l].toLowerCase()}`);
  if (suspended) parts.push(`${suspended} suspended`);
  return `<p class="summary" id="summary">${rows.length} object${rows.length === 1 ? "" : "s"}${
    parts.length ? ": " + parts.join(", ") : ""
  }</p>`;
}

const COLUMNS: { label: string; sort?: SortColumn; narrow?: boolean }[] = [
  { label: "State", sort: "state" },
  { label: "Kind", sort: "kind" },
  { label: "Name", sort: "name" },
  { label: "Revision", sort: "revision" },
  { label: "Last applied", sort: "applied", narrow: true },
  { label: "Next run", sort: "next", narrow: true },
  { label: "Message / last error" },
];

function header(q: OverviewQuery): string {
  return COLUMNS.map((c) => {
    const cls = c.narrow ? ` class="hide-narrow"` : "";
    if (!c.sort) return `<th scope="col"${cls}>${c.label}</th>`;
    const active = q.sort === c.sort;
    const params = new URLSearchParams();
    if (q.kind) params.set("kind", q.kind);
    if (q.namespace) params.set("namespace", q.namespace);
    if (q.state) params.set("state", q.state);
    if (q.text) params.set("q", q.text);
    params.set("sort", c.sort);
    if (active && !q.descending) params.set("dir", "desc");
    const aria = active ? ` aria-sort="${q.descending ? "descending" : "ascending"}"` : "";
    return `<th scope="col"${cls}${aria}><a href="/ui/?${
      escapeHtml(params.toString())
    }">${c.label}</a></th>`;
  }).join("");
}

function select(
  name: string,
  label: string,
  values: string[],
  chosen: string,
  words?: (v: string) => string,
): string {
  const options = ["", ...values].map((v) =>
    `<option value="${escapeHtml(v)}"${v === chosen ? " selected" : ""}>${
      v === "" ? "any" : escapeHtml(words ? words(v) : v)
    }</option>`
  ).join("");
  return `<label>${label}<select name="${name}">${options}</select></label>`;
}

/** The whole overview page. `all` feeds the filter choices; `shown` is filtered and sorted. */
export function overviewPage(
  all: OverviewRow[],
  shown: OverviewRow[],
  q: OverviewQuery,
  now: number,
  warnings: readonly string[] = [],
): string {
  const kinds = [...new Set(all.map((r) => r.kind))].sort();
  const namespaces = [...new Set(all.map((r) => r.namespace))].sort();
  const states = ["failed", "waiting", "progressing", "ready", "suspended"];
  const form =
    `<form class="filters" method="get" action="/ui/" role="search" aria-label="Filter objects">
${select("kind", "Kind", kinds, q.kind)}
${select("namespace", "Namespace", namespaces, q.namespace)}
${select("state", "State", states, q.state, (v) => STATE_WORDS[v as StateLabel])}
<label>Text<input type="search" name="q" value="${
      escapeHtml(q.text)
    }" placeholder="name, error, revision"></label>
<input type="hidden" name="sort" value="${q.sort}">${
      q.descending ? `<input type="hidden" name="dir" value="desc">` : ""
    }
<button type="submit">Filter</button> <a href="/ui/">Clear</a>
</form>`;
  const rows = shown.map((r) => overviewRow(r, now)).join("\n");
  const body = `<h1>Overview</h1>
${summaryLine(all)}
${form}
<div class="table-wrap">
<table class="overview">
<caption class="visually-hidden">Objects the agent reconciles</caption>
<thead><tr>${header(q)}</tr></thead>
<tbody id="rows">
${rows}
</tbody>
</table>
</div>
<p id="empty" class="muted"${
    shown.length === 0 ? "" : " hidden"
  }>No object matches the filter.</p>`;
  return pageShell({ title: "Overview", page: "overview", body, warnings });
}
