// Dotted field paths as replacements and vars write them: "spec.template.spec.containers.0.image",
// "spec.containers.[name=web].image", "metadata.annotations.[config.kubernetes.io/origin]" (a key
// with dots in brackets), "*" for every element. Lookups return every matching place; with
// `create`, missing maps and list elements ("[name=x]") are made on the way.
import { isMap } from "./resource.ts";

export class FieldPathLookupError extends Error {
  override readonly name = "FieldPathLookupError";
}

/** Splits on "." outside brackets; "[a.b]" without "=" is a plain key holding dots. */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = "";
  let depth = 0;
  for (const c of path) {
    if (c === "[") depth++;
    if (c === "]") depth--;
    if (c === "." && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map((
    p,
  ) => (p.startsWith("[") && p.endsWith("]") && !p.includes("=") ? p.slice(1, -1) : p));
}

export interface Place {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

export function getPlaceValue(p: Place): unknown {
  return (p.parent as Record<string, unknown>)[p.key as string];
}

export function setPlaceValue(p: Place, value: unknown): void {
  (p.parent as Record<string, unknown>)[p.key as string] = value;
}

/**
 * Every place the path reaches. `create` makes missing branches (maps, or list elements for
 * "[k=v]") and gives the leaf `createLeaf()` when missing.
 */
export function findPlaces(
  root: unknown,
  parts: string[],
  create: boolean,
  createLeaf: () => unknown = () => null,
): Place[] {
  const out: Place[] = [];
  const walk = (node: unknown, i: number, parent: Place | undefined) => {
    const part = parts[i];
    const last = i === parts.length - 1;
    const visit = (p: Place) => {
      if (last) {
        out.push(p);
        return;
      }
      let child = getPlaceValue(p);
      if (child === undefined || child === null) {
        if (!create) return;
        child = /^\[.*=.*\]$/.test(parts[i + 1]) || /^\d+$/.test(parts[i + 1]) ? [] : {};
        setPlaceValue(p, child);
      }
      walk(child, i + 1, p);
    };
    if (part === "*" || part === "[*]") {
      if (Array.isArray(node)) node.forEach((_, k) => visit({ parent: node, key: k }));
      else if (isMap(node)) Object.keys(node).forEach((k) => visit({ parent: node, key: k }));
      return;
    }
    const selector = part.match(/^\[([^=]*)=(.*)\]$/);
    if (selector) {
      if (!Array.isArray(node)) return;
      const [, key, value] = selector;
      let matched = false;
      node.forEach((item, k) => {
        const hit = key === ""
          ? item !== null && !isMap(item) && String(item) === value
          : isMap(item) && item[key] !== undefined && String(item[key]) === value;
        if (hit) {
          matched = true;
          visit({ parent: node, key: k });
        }
      });
      if (!matched && create && key !== "") {
        node.push({ [key]: value });
        visit({ parent: node, key: node.length - 1 });
      }
      return;
    }
    if (Array.isArray(node)) {
      if (!/^-?\d+$/.test(part)) return;
      let idx = Number(part);
      if (idx < 0) idx = node.length + idx;
      if (idx < 0 || idx >= node.length) {
        throw new FieldPathLookupError(
          `index ${part} is out of range (the list has ${node.length})`,
        );
      }
      visit({ parent: node, key: idx });
      return;
    }
    if (!isMap(node)) return;
    if (!(part in node) || node[part] === null) {
      if (!create) return;
      if (last) node[part] = createLeaf();
    }
    visit({ parent: node, key: part });
    void parent;
  };
  walk(root, 0, undefined);
  return out;
}

/** The single value at a path, or undefined. */
export function lookupValue(root: unknown, path: string): unknown {
  const places = findPlaces(root, splitFieldPath(path), false);
  return places.length > 0 ? getPlaceValue(places[0]) : undefined;
}
