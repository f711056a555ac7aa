// Helm's value coalescing: user values over chart defaults, maps merged and everything else
// replaced, each subchart's defaults folded in under its name, `global` copied down the tree,
// and `null` deleting a key (coalesce) or kept as a marker (merge, used before a later coalesce).
import { deepCopy, isTable, type Table } from "./copy.ts";

/** What coalescing needs of a chart. */
export interface ValuesChart {
  metadata: { name: string };
  values: Table;
  dependencies: ValuesChart[];
}

export const GLOBAL_KEY = "global";

/** Warnings Helm logs while coalescing (skipped non-tables and the like). */
export type Warn = (message: string) => void;
const silent: Warn = () => {};

function prefixed(a: string, b: string): string {
  return a === "" ? b : `${a}.${b}`;
}

/** CoalesceValues: the values a chart renders with; nulls from the user delete chart defaults. */
export function coalesceValues(
  chart: ValuesChart,
  values: Table | null | undefined,
  warn = silent,
): Table {
  return coalesce(chart, deepCopy(values ?? {}), "", false, warn);
}

/** MergeValues: as coalesceValues, but nulls survive (for a later coalesce to act on). */
export function mergeChartValues(
  chart: ValuesChart,
  values: Table | null | undefined,
  warn = silent,
): Table {
  return coalesce(chart, deepCopy(values ?? {}), "", true, warn);
}

function coalesce(
  chart: ValuesChart,
  dest: Table,
  prefix: string,
  merge: boolean,
  warn: Warn,
): Table {
  coalesceChartDefaults(chart, dest, prefix, merge, warn);
  return coalesceDeps(chart, dest, prefix, merge, warn);
}

export class ValuesTypeError extends Error {
  override readonly name = "ValuesTypeError";
  constructor(readonly key: string, readonly value: unknown) {
    super(`type mismatch on ${key}: %!t(${goTypeName(value)}=${String(value)})`);
  }
}

function goTypeName(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "interface {}";
}

function coalesceDeps(
  chart: ValuesChart,
  dest: Table,
  prefix: string,
  merge: boolean,
  warn: Warn,
): Table {
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    if (!(name in dest)) dest[name] = {};
    else if (!isTable(dest[name])) throw new ValuesTypeError(name, dest[name]);
    const subValues = dest[name] as Table;
    const subPrefix = prefixed(prefix, chart.metadata.name);
    coalesceGlobals(subValues, dest, subPrefix, warn);
    dest[name] = coalesce(sub, subValues, subPrefix, merge, warn);
  }
  return dest;
}

/** Copies the parent's `global` into the child's, parent values winning. */
function coalesceGlobals(dest: Table, src: Table, prefix: string, warn: Warn): void {
  let dg: Table;
  let sg: Table;
  if (!(GLOBAL_KEY in dest)) dg = {};
  else if (isTable(dest[GLOBAL_KEY])) dg = dest[GLOBAL_KEY] as Table;
  else {
    warn(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`);
    return;
  }
  if (!(GLOBAL_KEY in src)) sg = {};
  else if (isTable(src[GLOBAL_KEY])) sg = src[GLOBAL_KEY] as Table;
  else {
    warn(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`);
    return;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key];
    if (isTable(val)) {
      const vv: Table = { ...val };
      if (!(key in dg)) dg[key] = vv;
      else if (!isTable(dg[key])) {
        warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
      } else {
        // Reversed on purpose: the parent's globals win over the child's, merging top-down.
        coalesceTables(vv, dg[key] as Table, prefixed(prefix, key), true, warn);
        dg[key] = vv;
      }
    } else if (key in dg && isTable(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      dg[key] = val;
    }
  }
  dest[GLOBAL_KEY] = dg;
}

function isSubchart(chart: ValuesChart, key: string): boolean {
  return chart.dependencies.some((d) => d.metadata.name === key);
}

/** Folds a chart's own defaults (values.yaml) under `v`, which has precedence. */
function coalesceChartDefaults(
  chart: ValuesChart,
  v: Table,
  prefix: string,
  merge: boolean,
  warn: Warn,
) {
  const subPrefix = prefixed(prefix, chart.metadata.name);
  const defaults = deepCopy(chart.values ?? {});
  for (const key of Object.keys(defaults)) {
    const val = defaults[key];
    if (key in v) {
      const value = v[key];
      if (value === null && !merge) {
        delete v[key];
      } else if (isTable(value)) {
        if (!isTable(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          const mergeHere = isSubchart(chart, key) || merge;
          // A subchart's own null defaults must not leak into the result; the top chart's stay.
          if (!mergeHere && prefix !== "") cleanNils(val);
          coalesceTables(value, val, prefixed(subPrefix, key), mergeHere, warn);
        }
      }
    } else {
      if (!merge && prefix !== "") {
        if (val === null) continue;
        if (isTable(val)) cleanNils(val);
      }
      v[key] = val;
    }
  }
}

/** CoalesceTables (merge=false) / MergeTables (merge=true): `dst` has precedence over `src`. */
export function coalesceTables(
  dst: Table,
  src: Table,
  prefix = "",
  merge = false,
  warn = silent,
): Table {
  const srcNonNil = new Set<string>();
  for (const key of Object.keys(src)) if (src[key] !== null) srcNonNil.add(key);
  for (const key of Object.keys(dst)) if (dst[key] === null) src[key] = null;
  for (const key of Object.keys(src)) {
    const val = src[key];
    const full = prefixed(prefix, key);
    const present = key in dst;
    const dv = dst[key];
    if (present && !merge && dv === null && srcNonNil.has(key)) {
      delete dst[key];
    } else if (!present) {
      dst[key] = val;
    } else if (isTable(val)) {
      if (isTable(dv)) coalesceTables(dv, val, full, merge, warn);
      else warn(`warning: cannot overwrite table with non table for ${full} (${String(val)})`);
    } else if (isTable(dv) && val !== null) {
      warn(
        `warning: destination for ${full} is a table. Ignoring non-table value (${String(val)})`,
      );
    }
  }
  return dst;
}

export function mergeTables(dst: Table, src: Table): Table {
  return coalesceTables(dst, src, "", true);
}

function cleanNils(m: Table): void {
  for (const key of Object.keys(m)) {
    const v = m[key];
    if (v === null) delete m[key];
    else if (isTable(v)) cleanNils(v);
  }
}
