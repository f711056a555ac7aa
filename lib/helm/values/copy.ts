/** A map of values as Go's map[string]interface{} (plain objects; scalars are immutable). */
export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return v !== null && typeof v === "object" && !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep copy of maps and lists; scalars are shared (they are immutable). */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (isTable(v)) {
    const out: Table = {};
    for (const k in v) out[k] = deepCopy(v[k]);
    return out as T;
  }
  return v;
}
