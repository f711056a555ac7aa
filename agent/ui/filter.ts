// The overview's filter and sort, read from the query string so they work without JavaScript
// (a GET form) and survive a reload or a shared link.
import { shortRevision } from "./format.ts";
import type { OverviewRow } from "./source.ts";
import { type StateLabel, stateLabel } from "./state_label.ts";

export const SORT_COLUMNS = ["state", "kind", "name", "revision", "applied", "next"] as const;
export type SortColumn = typeof SORT_COLUMNS[number];

export interface OverviewQuery {
  kind: string;
  namespace: string;
  /** A StateLabel, or "" for any. */
  state: string;
  text: string;
  sort: SortColumn;
  descending: boolean;
}

export function parseQuery(params: URLSearchParams): OverviewQuery {
  const sort = params.get("sort") ?? "";
  return {
    kind: params.get("kind") ?? "",
    namespace: params.get("namespace") ?? "",
    state: params.get("state") ?? "",
    text: (params.get("q") ?? "").trim(),
    sort: (SORT_COLUMNS as readonly string[]).includes(sort) ? sort as SortColumn : "state",
    descending: params.get("dir") === "desc",
  };
}

/** The words a text filter searches in (the client filters on the same string). */
export function searchText(row: OverviewRow): string {
  return [
    row.kind,
    row.namespace,
    row.name,
    row.reason,
    row.message,
    row.lastError ?? "",
    row.revision ?? "",
    shortRevision(row.revision, row.kind),
  ].join(" ").toLowerCase();
}

export function matches(row: OverviewRow, q: OverviewQuery): boolean {
  if (q.kind && row.kind !== q.kind) return false;
  if (q.namespace && row.namespace !== q.namespace) return false;
  if (q.state) {
    const label = stateLabel(row.ready, row.reason);
    if (q.state === "suspended" ? !row.suspended : label !== q.state) return false;
  }
  if (q.text && !searchText(row).includes(q.text.toLowerCase())) return false;
  return true;
}

/** Problems first by default: failed, waiting, progressing, then ready. */
const STATE_ORDER: Record<StateLabel, number> = {
  failed: 0,
  missing: 0,
  waiting: 1,
  progressing: 2,
  suspended: 3,
  ready: 4,
};

export function applyQuery(rows: OverviewRow[], q: OverviewQuery): OverviewRow[] {
  const byName = (a: OverviewRow, b: OverviewRow) =>
    a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name);
  const column: Record<SortColumn, (a: OverviewRow, b: OverviewRow) => number> = {
    state: (a, b) =>
      STATE_ORDER[stateLabel(a.ready, a.reason)] - STATE_ORDER[stateLabel(b.ready, b.reason)],
    kind: (a, b) => a.kind.localeCompare(b.kind),
    name: (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    revision: (a, b) => (a.revision ?? "").localeCompare(b.revision ?? ""),
    applied: (a, b) => (a.lastAppliedTime ?? "").localeCompare(b.lastAppliedTime ?? ""),
    next: (a, b) => (a.nextRunTime ?? "").localeCompare(b.nextRunTime ?? ""),
  };
  const sign = q.descending ? -1 : 1;
  return rows.filter((r) => matches(r, q)).sort((a, b) =>
    sign * column[q.sort](a, b) || byName(a, b)
  );
}
