// Flux's post-build substitution on one object: its YAML is re-serialised, `${var}` and
// `${var:=default}` (also `:-`, `=`, `-`) are replaced, `$${...}` stays literal as `${...}`, and
// the text is parsed back. Objects labelled or annotated
// `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone. Unknown variables become
// empty strings, as in Flux without the strict feature gate.
//
// This covers the forms Flux documents; lib/kustomize may later own the full bash-style
// operator set (see the conformance cases), and this file then becomes a call into it.
import { emitDocument } from "../../lib/kustomize/mod.ts";
import type { KubeObject } from "../../lib/kube/mod.ts";
import { parseOne, YamlError } from "../../lib/yaml/mod.ts";

export const SUBSTITUTE_ANNOTATION = "kustomize.toolkit.fluxcd.io/substitute";
const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export class SubstitutionError extends Error {
  override readonly name = "SubstitutionError";
  constructor(readonly object: string, readonly reason: string) {
    super(`post-build substitution of ${object}: ${reason}`);
  }
}

export function substituteObject(obj: KubeObject, vars: Record<string, string>): KubeObject {
  const meta = obj.metadata;
  if (
    meta.labels?.[SUBSTITUTE_ANNOTATION] === "disabled" ||
    meta.annotations?.[SUBSTITUTE_ANNOTATION] === "disabled"
  ) return obj;
  const text = emitDocument(obj);
  if (!text.includes("$")) return obj;
  const id = `${obj.kind} ${meta.namespace ? meta.namespace + "/" : ""}${meta.name}`;
  const out = substituteText(text, vars, id);
  try {
    return parseOne(out, { file: id }) as KubeObject;
  } catch (e) {
    if (e instanceof YamlError) throw new SubstitutionError(id, `the result is not YAML: ${e.reason}`);
    throw e;
  }
}

export function substituteText(text: string, vars: Record<string, string>, id = "text"): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "$" && text[i + 1] === "$" && text[i + 2] === "{") {
      // "$${x}" is the escape for a literal "${x}".
      out += "$";
      i += 2;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const end = findClose(text, i + 2);
      if (end < 0) throw new SubstitutionError(id, `unterminated "\${" at offset ${i}`);
      out += expand(text.slice(i + 2, end), vars, id);
      i = end + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function findClose(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === "{") depth++;
    else if (text[j] === "}" && --depth === 0) return j;
    else if (text[j] === "\n") return -1;
  }
  return -1;
}

function expand(inner: string, vars: Record<string, string>, id: string): string {
  const m = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-=])(.*))?$/s.exec(inner);
  if (!m) {
    if (!VAR_NAME.test(inner)) throw new SubstitutionError(id, `unsupported expression "\${${inner}}"`);
  }
  const [, name, op, fallback] = m!;
  const value = vars[name];
  if (op === undefined) return value ?? "";
  const useDefault = op.startsWith(":") ? !value : value === undefined;
  return useDefault ? substituteText(fallback, vars, id) : value;
}
