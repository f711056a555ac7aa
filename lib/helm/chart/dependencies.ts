// Helm's ProcessDependencies: aliases applied, subcharts disabled by `condition`/`tags` removed,
// then `import-values` copied from children into their parents (children first).
import { parseConstraint, parseVersion, satisfies } from "../../semver/mod.ts";
import {
  coalesceTables,
  coalesceValues,
  mergeChartValues,
  mergeTables,
  type Warn,
} from "../values/coalesce.ts";
import { deepCopy, isTable, type Table } from "../values/copy.ts";
import { pathToMap, pathValue, tableAt } from "../values/path.ts";
import type { Chart, Dependency } from "./types.ts";

const silent: Warn = () => {};

/** Whether `version` satisfies the constraint `range` (false when either does not parse). */
export function isCompatibleRange(range: string | undefined, version: string): boolean {
  try {
    return satisfies(parseVersion(version), parseConstraint(range ?? ""));
  } catch {
    return false;
  }
}

/** A copy of the chart tree that processing may change without touching the loaded chart. */
export function cloneChartTree(c: Chart, parent?: Chart): Chart {
  const copy: Chart = {
    ...c,
    metadata: {
      ...c.metadata,
      dependencies: c.metadata.dependencies?.map((d) => ({ ...d })),
    },
    parent,
  };
  copy.dependencies = c.dependencies.map((d) => cloneChartTree(d, copy));
  return copy;
}

function aliasDependency(charts: Chart[], dep: Dependency, parent: Chart): Chart | undefined {
  for (const c of charts) {
    if (c.metadata.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version, c.metadata.version)) continue;
    const copy = cloneChartTree(c, parent);
    if (dep.alias) copy.metadata.name = dep.alias;
    return copy;
  }
  return undefined;
}

function applyTags(deps: Dependency[], cvals: Table, warn: Warn): void {
  const tags = tableAt(cvals, "tags");
  if (!tags) return;
  for (const d of deps) {
    let hasTrue = false, hasFalse = false;
    for (const k of d.tags ?? []) {
      if (!(k in tags)) continue;
      const b = tags[k];
      if (typeof b === "boolean") {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else warn(`Warning: Tag '${k}' for chart ${d.name} returned non-bool value`);
    }
    if (!hasTrue && hasFalse) d.enabled = false;
    else if (hasTrue || (!hasTrue && !hasFalse)) d.enabled = true;
  }
}

function applyConditions(deps: Dependency[], cvals: Table, path: string, warn: Warn): void {
  for (const d of deps) {
    for (const cond of (d.condition ?? "").trim().split(",")) {
      if (cond.length === 0) continue;
      const found = pathValue(cvals, path + cond);
      if (!found) continue;
      if (typeof found.value === "boolean") {
        d.enabled = found.value;
        break;
      }
      warn(`Warning: Condition path '${cond}' for chart ${d.name} returned non-bool value`);
    }
  }
}

/** Helm's processDependencyEnabled, in place: aliases applied, disabled subcharts removed. */
export function processDependencyEnabled(c: Chart, v: Table, path = "", warn: Warn = silent): void {
  const reqs = c.metadata.dependencies;
  if (!reqs) return;
  const kept: Chart[] = [];
  // Subcharts not named in Chart.yaml are kept as they are.
  for (const existing of c.dependencies) {
    const named = reqs.some((r) =>
      existing.metadata.name === r.name && isCompatibleRange(r.version, existing.metadata.version)
    );
    if (!named) kept.push(existing);
  }
  for (const req of reqs) {
    const dep = aliasDependency(c.dependencies, req, c);
    if (dep) kept.push(dep);
    if (req.alias) req.name = req.alias;
  }
  c.dependencies = kept;
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(c, v, warn);
  applyTags(reqs, cvals, warn);
  applyConditions(reqs, cvals, path, warn);
  const removed = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  const charts = c.dependencies.filter((d) => !removed.has(d.metadata.name));
  const metadataDeps = reqs.filter((r) => !removed.has(r.name));
  for (const t of charts) processDependencyEnabled(t, cvals, `${path}${t.metadata.name}.`, warn);
  c.metadata.dependencies = metadataDeps;
  c.dependencies = charts;
}

function trimNils(t: Table): Table {
  const out: Table = {};
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (v === null) continue;
    out[k] = isTable(v) ? trimNils(v) : v;
  }
  return out;
}

function processImportValues(c: Chart, merge: boolean, warn: Warn): void {
  const reqs = c.metadata.dependencies;
  if (!reqs) return;
  const cvals = merge ? mergeChartValues(c, null, warn) : coalesceValues(c, null, warn);
  const combine = merge ? mergeTables : (a: Table, b: Table) => coalesceTables(a, b);
  let b: Table = {};
  for (const r of reqs) {
    const out: Array<{ child: string; parent: string }> = [];
    for (const iv of r["import-values"] ?? []) {
      if (typeof iv === "string") {
        const child = `exports.${iv}`;
        out.push({ child, parent: "." });
        const vm = tableAt(cvals, `${r.name}.${child}`);
        if (!vm) {
          warn(`Warning: ImportValues missing table: no table named "${r.name}.${child}"`);
          continue;
        }
        b = combine(b, deepCopy(vm));
      } else if (iv && typeof iv === "object") {
        const { child, parent } = iv;
        out.push({ child, parent });
        const vv = tableAt(cvals, `${r.name}.${child}`);
        if (!vv) {
          warn(
            `Warning: ImportValues missing table from chart ${r.name}: no table named "${child}"`,
          );
          continue;
        }
        b = combine(b, pathToMap(parent, deepCopy(vv)));
      }
    }
    r["import-values"] = out;
  }
  // The parent's own values win over what it imports: imports merge underneath.
  c.values = merge ? mergeTables(deepCopy(cvals), b) : coalesceTables(trimNils(cvals), b);
}

/** Helm's processDependencyImportValues, in place: children first, then this chart. */
export function processDependencyImportValues(c: Chart, merge = true, warn: Warn = silent): void {
  for (const d of c.dependencies) processDependencyImportValues(d, merge, warn);
  processImportValues(c, merge, warn);
}

/**
 * Applies Chart.yaml dependencies to a copy of `chart` for the given user values and returns
 * that copy: aliases, enabled/disabled subcharts, imported values.
 */
export function processDependencies(chart: Chart, userValues: Table, warn: Warn = silent): Chart {
  const c = cloneChartTree(chart);
  processDependencyEnabled(c, userValues, "", warn);
  processDependencyImportValues(c, true, warn);
  return c;
}
