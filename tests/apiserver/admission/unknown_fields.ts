// Fields the schema does not declare: the real server never stores them (built-ins drop them
// when decoding, CRDs prune them), and `fieldValidation` decides whether the client hears about
// it (Strict: 400 BadRequest, Warn: a Warning header, Ignore: silence).
import type { TypeNode } from "../ssa/schema.ts";
import { isObject, type Json, type JsonObject } from "../ssa/typed.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Removes undeclared fields in place and returns their dotted paths (e.g. "spec.replica"). */
export function dropUnknownFields(o: JsonObject, t: TypeNode): string[] {
  const found: string[] = [];
  walk(o, t, "", found);
  return found;
}

function walk(v: Json, t: TypeNode, path: string, found: string[]): void {
  if (t.kind === "map" && isObject(v)) {
    for (const k of Object.keys(v)) {
      const f = t.fields.get(k);
      const p = path ? `${path}.${k}` : k;
      if (f) walk(v[k], f(), p, found);
      else if (t.elem) walk(v[k], t.elem(), p, found);
      else {
        found.push(p);
        delete v[k];
      }
    }
  } else if (t.kind === "list" && Array.isArray(v)) {
    const et = t.elem();
    v.forEach((item, i) => walk(item, et, `${path}[${i}]`, found));
  }
}
