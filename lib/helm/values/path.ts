// Dot-path lookups into values (Helm's Values.Table and Values.PathValue).
import { isTable, type Table } from "./copy.ts";

/** The table at a dot path ("a.b"), or undefined when some step is missing or not a table. */
export function tableAt(values: Table, path: string): Table | undefined {
  let cur: Table = values;
  for (const part of path.split(".")) {
    const next = cur[part];
    if (!isTable(next)) return undefined;
    cur = next;
  }
  return cur;
}

/** The non-table value at a dot path, or undefined (Helm's ErrNoValue). */
export function pathValue(values: Table, path: string): { value: unknown } | undefined {
  if (path === "") return undefined;
  const parts = path.split(".");
  const key = parts.pop()!;
  const table = parts.length === 0 ? values : tableAt(values, parts.join("."));
  if (!table || !(key in table) || isTable(table[key])) return undefined;
  return { value: table[key] };
}

/** Nests `data` under a dot path (Helm's pathToMap); "." is the top. */
export function pathToMap(path: string, data: Table): Table {
  if (path === ".") return data;
  let cur: Table = data;
  const parts = path.split(".");
  for (let i = parts.length - 1; i >= 0; i--) cur = { [parts[i]]: cur };
  return cur;
}
