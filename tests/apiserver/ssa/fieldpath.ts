// Sets of field paths, as structured-merge-diff defines them: a path is a list of elements
// (field name `f:`, list-map key `k:`, set value `v:`, list index `i:`), and a set is a trie
// whose nodes say whether the path to them is itself a member. Serialises to FieldsV1.

/** One path element in its FieldsV1 spelling, e.g. `f:spec`, `k:{"name":"app"}`, `v:"a"`. */
export type PathElement = string;
export type Path = PathElement[];

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** The JSON of the key fields, sorted by name, as the real server writes them. */
export function keyElement(keys: Record<string, unknown>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(keys).sort()) sorted[k] = keys[k];
  return `k:${JSON.stringify(sorted)}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${JSON.stringify(value)}`;
}

export function indexElement(i: number): PathElement {
  return `i:${i}`;
}

const TYPE_ORDER: Record<string, number> = { f: 0, v: 1, i: 2, k: 3 };

function compareElements(a: PathElement, b: PathElement): number {
  const ta = TYPE_ORDER[a[0]] ?? 9;
  const tb = TYPE_ORDER[b[0]] ?? 9;
  if (ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The human spelling used in conflict messages: `.spec.containers[name="app"].image`. */
export function pathString(path: Path): string {
  let out = "";
  for (const pe of path) {
    const body = pe.slice(2);
    switch (pe[0]) {
      case "f":
        out += `.${body}`;
        break;
      case "k": {
        const keys = JSON.parse(body) as Record<string, unknown>;
        const parts = Object.keys(keys).map((k) => `${k}=${JSON.stringify(keys[k])}`);
        out += `[${parts.join(",")}]`;
        break;
      }
      case "v":
        out += `[=${body}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}

export class FieldSet {
  member = false;
  children = new Map<PathElement, FieldSet>();

  static fromPaths(paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length === 0) {
      this.member = true;
      return;
    }
    let next = this.children.get(path[0]);
    if (!next) {
      next = new FieldSet();
      this.children.set(path[0], next);
    }
    next.insert(path.slice(1));
  }

  has(path: Path): boolean {
    if (path.length === 0) return this.member;
    return this.children.get(path[0])?.has(path.slice(1)) ?? false;
  }

  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  empty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.empty()) return false;
    return true;
  }

  clone(): FieldSet {
    const s = new FieldSet();
    s.member = this.member;
    for (const [k, v] of this.children) s.children.set(k, v.clone());
    return s;
  }

  union(other: FieldSet): FieldSet {
    const s = this.clone();
    s.#addAll(other);
    return s;
  }

  #addAll(other: FieldSet): void {
    if (other.member) this.member = true;
    for (const [k, v] of other.children) {
      let mine = this.children.get(k);
      if (!mine) {
        mine = new FieldSet();
        this.children.set(k, mine);
      }
      mine.#addAll(v);
    }
  }

  /** Members of this set that are not members of other. */
  difference(other: FieldSet | undefined): FieldSet {
    const s = new FieldSet();
    s.member = this.member && !(other?.member ?? false);
    for (const [k, v] of this.children) {
      const d = v.difference(other?.children.get(k));
      if (!d.empty()) s.children.set(k, d);
    }
    return s;
  }

  intersection(other: FieldSet | undefined): FieldSet {
    const s = new FieldSet();
    if (!other) return s;
    s.member = this.member && other.member;
    for (const [k, v] of this.children) {
      const o = other.children.get(k);
      if (!o) continue;
      const i = v.intersection(o);
      if (!i.empty()) s.children.set(k, i);
    }
    return s;
  }

  /** Removes every path that has a member of `prefixes` as a prefix (or equals one). */
  withoutPrefixes(prefixes: FieldSet): FieldSet {
    if (prefixes.member) return new FieldSet();
    const s = new FieldSet();
    s.member = this.member;
    for (const [k, v] of this.children) {
      const p = prefixes.children.get(k);
      const rest = p ? v.withoutPrefixes(p) : v.clone();
      if (!rest.empty()) s.children.set(k, rest);
    }
    return s;
  }

  /** Every member path, in the serialisation order. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    if (this.member) out.push(prefix);
    const keys = [...this.children.keys()].sort(compareElements);
    for (const k of keys) out.push(...this.children.get(k)!.paths([...prefix, k]));
    return out;
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.member && this.children.size > 0) out["."] = {};
    const keys = [...this.children.keys()].sort(compareElements);
    for (const k of keys) {
      const c = this.children.get(k)!;
      if (!c.empty()) out[k] = c.toFieldsV1();
    }
    return out;
  }

  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    s.#readFields(v, true);
    return s;
  }

  #readFields(v: unknown, isRoot: boolean): void {
    const obj = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (!isRoot && keys.length === 0) this.member = true;
    for (const k of keys) {
      if (k === ".") {
        this.member = true;
        continue;
      }
      const c = new FieldSet();
      c.#readFields(obj[k], false);
      this.children.set(k, c);
    }
  }
}
