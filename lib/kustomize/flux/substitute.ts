// Flux's post-build variable substitution: each object is printed as YAML (as kustomize prints
// it), ${...} expressions are expanded in that text, and the text is read back with YAML 1.1
// rules (as Flux's YAML-to-JSON step reads it). Objects labelled or annotated
// `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.
import { YAML, YamlError } from "../../yaml/mod.ts";
import { emitDocument } from "../emit.ts";
import { KustomizeError } from "../errors.ts";
import { isMap, type KubeObject } from "../resource.ts";
import { envsubst, EnvsubstError } from "./envsubst.ts";

export const SUBSTITUTE_KEY = "kustomize.toolkit.fluxcd.io/substitute";
const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export interface SubstituteOptions {
  strict?: boolean;
}

function disabled(obj: KubeObject): boolean {
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  const labels = isMap(meta.labels) ? meta.labels : {};
  const annotations = isMap(meta.annotations) ? meta.annotations : {};
  return labels[SUBSTITUTE_KEY] === "disabled" || annotations[SUBSTITUTE_KEY] === "disabled";
}

function describe(obj: KubeObject): string {
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  return `${obj.kind}/${meta.namespace ? meta.namespace + "/" : ""}${meta.name}`;
}

/**
 * Reads substituted text as go-yaml v2 does: YAML 1.1 (yes/no/on/off, 0644 octal, timestamps)
 * but without sexagesimal numbers (go-yaml leaves 12:30 a string).
 */
function parseGoYamlV2(text: string, where: string): unknown {
  const doc = YAML.parseDocument(text, {
    version: "1.1",
    uniqueKeys: true,
    prettyErrors: false,
    customTags: (tags) =>
      tags.filter((t) => typeof t === "string" || !("format" in t && t.format === "TIME")),
  });
  if (doc.errors.length > 0) {
    throw new YamlError(where, 0, doc.errors[0].message.split("\n")[0], doc.errors[0].linePos?.[0]);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Go's time.Time as JSON, for timestamps YAML 1.1 reads from substituted text. */
function datesToText(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, "Z");
  if (Array.isArray(v)) return v.map(datesToText);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, datesToText(x)]));
  return v;
}

export function substitute(
  objects: KubeObject[],
  vars: Record<string, string>,
  options: SubstituteOptions = {},
): KubeObject[] {
  for (const name of Object.keys(vars)) {
    if (!VAR_NAME.test(name)) {
      throw new KustomizeError(
        "postBuild",
        "substitute",
        `'${name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`,
      );
    }
  }
  return objects.map((obj) => {
    if (disabled(obj)) return obj;
    const text = emitDocument(obj);
    let out: string;
    try {
      out = envsubst(text, vars, { strict: options.strict });
    } catch (e) {
      if (e instanceof EnvsubstError) {
        throw new KustomizeError(describe(obj), "postBuild.substitute", e.message, e);
      }
      throw e;
    }
    if (out === text) return obj;
    try {
      const parsed = datesToText(parseGoYamlV2(out, describe(obj)));
      if (!isMap(parsed)) throw new YamlError(describe(obj), 0, "substitution left no object");
      return parsed as KubeObject;
    } catch (e) {
      if (e instanceof YamlError) {
        throw new KustomizeError(
          describe(obj),
          "postBuild.substitute",
          `the substituted object is not valid YAML: ${e.reason}`,
          e,
        );
      }
      throw e;
    }
  });
}
