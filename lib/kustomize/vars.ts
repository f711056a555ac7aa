// The deprecated `vars`: a name bound to a field of one object (objref + fieldref), substituted
// as $(NAME) into the var-reference fields of every object after all renames. "$$" escapes "$".
import { KustomizeError } from "./errors.ts";
import { fieldSpecSelects, visitFieldSpec } from "./fieldspec.ts";
import { lookupValue } from "./field_path.ts";
import type { FieldSpec } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import { isMap, type Resource, splitApiVersion } from "./resource.ts";

export interface VarDecl {
  name: string;
  objref: { kind?: string; name?: string; namespace?: string; group?: string; version?: string };
  fieldpath: string;
  /** The object the var was bound to when declared. */
  target?: Resource;
  file: string;
}

export function declareVars(
  resources: ResMap,
  raw: Record<string, unknown>[],
  existing: VarDecl[],
  file: string,
): VarDecl[] {
  const out = [...existing];
  raw.forEach((v, i) => {
    const field = `vars[${i}]`;
    if (typeof v.name !== "string" || !isMap(v.objref)) {
      throw new KustomizeError(file, field, "a var needs a name and an objref");
    }
    if (out.some((d) => d.name === v.name)) {
      throw new KustomizeError(file, field, `var '${v.name}' already encountered`);
    }
    const o = v.objref as Record<string, unknown>;
    const gv = typeof o.apiVersion === "string" ? splitApiVersion(o.apiVersion) : {
      group: typeof o.group === "string" ? o.group : "",
      version: typeof o.version === "string" ? o.version : "",
    };
    const objref = {
      kind: o.kind as string | undefined,
      name: o.name as string | undefined,
      namespace: o.namespace as string | undefined,
      ...gv,
    };
    const fieldref = isMap(v.fieldref) ? v.fieldref : {};
    const fieldpath = typeof fieldref.fieldpath === "string" && fieldref.fieldpath
      ? fieldref.fieldpath
      : "metadata.name";
    const matched = resources.list.filter((r) =>
      r.allIds().some((id) =>
        (!objref.kind || id.kind === objref.kind) && id.name === objref.name &&
        (!objref.group || id.group === objref.group) &&
        (!objref.version || id.version === objref.version) &&
        (!objref.namespace || id.namespace === objref.namespace)
      )
    );
    if (matched.length > 1) {
      throw new KustomizeError(
        file,
        field,
        `found ${matched.length} resId matches for var ${v.name} (unable to disambiguate)`,
      );
    }
    out.push({ name: v.name, objref, fieldpath, target: matched[0], file });
  });
  return out;
}

const VAR = /\$\$|\$\(([^)]*)\)/g;

function expand(s: string, values: Map<string, unknown>): unknown {
  const whole = s.match(/^\$\(([^)]*)\)$/);
  if (whole && values.has(whole[1])) return values.get(whole[1]);
  return s.replace(VAR, (m, name) => {
    if (m === "$$") return "$";
    return values.has(name) ? String(values.get(name)) : m;
  });
}

export function resolveVars(resources: ResMap, vars: VarDecl[], fieldSpecs: FieldSpec[]) {
  if (vars.length === 0) return;
  const values = new Map<string, unknown>();
  for (const v of vars) {
    if (!v.target || !resources.list.includes(v.target)) {
      throw new KustomizeError(
        v.file,
        "vars",
        `var '${v.name}' cannot be mapped to a field in the set of known resources`,
      );
    }
    const value = lookupValue(v.target.obj, v.fieldpath.replace(/\[(\d+)\]/g, ".$1"));
    if (value === undefined) {
      throw new KustomizeError(
        v.file,
        "vars",
        `field "${v.fieldpath}" specified in var '${v.name}' not found in corresponding resource`,
      );
    }
    values.set(v.name, value);
  }
  for (const r of resources.list) {
    for (const fs of fieldSpecs) {
      if (!fieldSpecSelects(fs, r.gvk)) continue;
      visitFieldSpec(r.obj, fs.path, { create: false }, (parent, key) => {
        const v = parent[key];
        if (typeof v === "string") parent[key] = expand(v, values);
        else if (Array.isArray(v)) {
          v.forEach((item, i) => {
            if (typeof item === "string") v[i] = expand(item, values);
          });
        } else if (isMap(v)) {
          for (const [k, item] of Object.entries(v)) {
            if (typeof item === "string") v[k] = expand(item, values);
          }
        }
      });
    }
  }
}
