// RFC 6901 JSON pointers over plain JSON values: read one, and copy one from another object
// (or remove it when the source has none) — what drift ignore rules need.

function segments(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw new Error(`JSON pointer ${JSON.stringify(pointer)} must start with /`);
  }
  return pointer.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === "object";
}

function child(c: Container, key: string): unknown {
  return Array.isArray(c) ? c[Number(key)] : c[key];
}

export function getPointer(doc: unknown, pointer: string): { found: boolean; value?: unknown } {
  let cur = doc;
  for (const key of segments(pointer)) {
    if (!isContainer(cur)) return { found: false };
    if (Array.isArray(cur) ? !(Number(key) < cur.length) : !(key in cur)) return { found: false };
    cur = child(cur, key);
  }
  return { found: true, value: cur };
}

/** Makes `target` hold at `pointer` what `source` holds there (nothing, when source has none). */
export function copyPointer(target: unknown, source: unknown, pointer: string): void {
  const keys = segments(pointer);
  if (keys.length === 0) return;
  const from = getPointer(source, pointer);
  let cur = target;
  for (const key of keys.slice(0, -1)) {
    if (!isContainer(cur)) return;
    let next = child(cur, key);
    if (!isContainer(next)) {
      if (!from.found) return; // nothing to remove below a missing parent
      next = {};
      if (Array.isArray(cur)) cur[Number(key)] = next;
      else cur[key] = next;
    }
    cur = next;
  }
  if (!isContainer(cur)) return;
  const last = keys[keys.length - 1];
  if (Array.isArray(cur)) {
    if (from.found) cur[Number(last)] = structuredClone(from.value);
    else if (Number(last) < cur.length) cur.splice(Number(last), 1);
  } else if (from.found) cur[last] = structuredClone(from.value);
  else delete cur[last];
}
