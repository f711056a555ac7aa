// YAML read the way go-yaml v2 (under sigs.k8s.io/yaml) reads it for Helm: YAML 1.1 booleans
// (yes/no/on/off/y/n), but timestamps and sexagesimal numbers stay strings, and "." or "e5" are
// strings rather than numbers. Built on the yaml package with go-yaml's scalar rules.
import { YAML } from "../../yaml/mod.ts";

type Tags = Extract<NonNullable<YAML.SchemaOptions["customTags"]>, unknown[]>;

const GO_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)|\.[0-9]+)$/;
const GO_EXP = /^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*))[eE][-+]?[0-9]+$/;

// Go's ParseInt with base 0 also reads 0o17.
const GO_OCTAL: YAML.ScalarTag = {
  identify: (v) => typeof v === "number",
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "OCT",
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (str: string) => {
    const sign = str.startsWith("-") ? -1 : 1;
    return sign * parseInt(str.replace(/^[-+]?0o/, "").replaceAll("_", ""), 8);
  },
};

function goTags(tags: Tags): Tags {
  const out: Tags = [GO_OCTAL];
  for (const t of tags) {
    if (typeof t === "string") {
      if (t !== "timestamp" && t !== "intTime" && t !== "floatTime") out.push(t);
      continue;
    }
    const s = t as YAML.ScalarTag;
    if (s.tag === "tag:yaml.org,2002:timestamp" || s.format === "TIME") continue;
    if (s.tag === "tag:yaml.org,2002:float" && s.test && !/inf/.test(String(s.test))) {
      const test = s.format === "EXP" ? GO_EXP : GO_FLOAT;
      out.push({ ...s, test, resolve: (str: string) => parseFloat(str.replaceAll("_", "")) });
      continue;
    }
    out.push(t);
  }
  return out;
}

export const GO_YAML_OPTIONS = {
  version: "1.1" as const,
  uniqueKeys: true,
  prettyErrors: true,
  customTags: goTags,
};

export interface GoYamlDocument {
  value: unknown;
  error?: YAML.YAMLError;
}

/** Parses every document; a document with errors carries its first error. */
export function parseGoYamlDocuments(text: string): GoYamlDocument[] {
  const docs = YAML.parseAllDocuments(text, GO_YAML_OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs as unknown as YAML.Document.Parsed];
  return list.map((d) => {
    if (d.errors.length > 0) return { value: null, error: d.errors[0] };
    try {
      return { value: d.toJS({ maxAliasCount: 100 }) };
    } catch (e) {
      const err = new YAML.YAMLParseError([0, 0], "BAD_ALIAS", (e as Error).message.split("\n")[0]);
      return { value: null, error: err };
    }
  });
}

/** A YAML document go-yaml would refuse. */
export class GoYamlError extends Error {
  override readonly name = "GoYamlError";
  constructor(readonly file: string, readonly line: number | undefined, readonly reason: string) {
    super(`${file}: ${line !== undefined ? `line ${line}: ` : ""}${reason}`);
  }
}

/** The first document of `text` as plain data (null when empty); throws GoYamlError. */
export function parseGoYaml(text: string, file: string): unknown {
  const first = parseGoYamlDocuments(text)[0];
  if (first?.error) {
    const line = first.error.linePos?.[0]?.line;
    const reason = first.error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new GoYamlError(file, line, reason);
  }
  return first?.value ?? null;
}
