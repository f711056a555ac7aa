// The few fields of a rendered document Helm reads before installing it (its SimpleHead):
// apiVersion, kind, metadata.name and metadata.annotations. The whole document must be valid YAML.
import type { YAML } from "../../yaml/mod.ts";
import { parseGoYamlDocuments } from "../values/go_yaml.ts";

/** Shared between documents of the same text (see parseHead): read it, never change it. */
export interface SimpleHead {
  apiVersion: string;
  kind: string;
  name: string;
  annotations?: Record<string, string>;
}

/** A rendered template is not valid YAML, or its head has the wrong types. */
export class ManifestParseError extends Error {
  override readonly name = "ManifestParseError";
  constructor(readonly path: string, readonly reason: string) {
    super(`YAML parse error on ${path}: error converting YAML to JSON: ${reason}`);
  }
}

// go-yaml's wording for the problems the yaml package describes differently.
const GO_YAML_WORDING: Array<[RegExp, string]> = [
  [/^Implicit map keys need to be followed by map values/, "could not find expected ':'"],
  [
    /^Nested mappings are not allowed in compact mappings/,
    "mapping values are not allowed in this context",
  ],
  [/^Map keys must be unique/, "mapping key already defined"],
  [/^Missing closing "?quote/, "found unexpected end of stream"],
];

function goYamlReason(err: YAML.YAMLError): string {
  let line = err.linePos?.[0]?.line;
  let message = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  for (const [re, go] of GO_YAML_WORDING) {
    if (re.test(message)) {
      message = go;
      break;
    }
  }
  // go-yaml notices a key without ':' only when it reaches the next line, and reports that one.
  if (line !== undefined && message === "could not find expected ':'") line++;
  return line !== undefined ? `yaml: line ${line}: ${message}` : `yaml: ${message}`;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

// Parsing YAML is most of the cost of sorting a rendered chart, and an agent renders the same
// charts again and again: heads of documents seen before are remembered (by their exact text).
const seen = new Map<string, SimpleHead>();
const MAX_SEEN = 4096;

/** Forgets remembered heads (benchmarks measure rendering without them). */
export function clearHeadCache(): void {
  seen.clear();
}

/** The head of a rendered document; throws ManifestParseError when it is not valid YAML. */
export function parseHead(doc: string, path: string): SimpleHead {
  const hit = seen.get(doc);
  if (hit) return hit;
  const head = parseHeadUncached(doc, path);
  if (seen.size >= MAX_SEEN) seen.delete(seen.keys().next().value!);
  seen.set(doc, head);
  return head;
}

function parseHeadUncached(doc: string, path: string): SimpleHead {
  const first = parseGoYamlDocuments(doc)[0];
  if (first?.error) throw new ManifestParseError(path, goYamlReason(first.error));
  const value = first?.value ?? null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    if (value === null || value === undefined) return { apiVersion: "", kind: "", name: "" };
    throw new ManifestParseError(
      path,
      `json: cannot unmarshal ${
        Array.isArray(value) ? "array" : typeof value
      } into Go value of type releaseutil.SimpleHead`,
    );
  }
  const o = value as Record<string, unknown>;
  const head: SimpleHead = { apiVersion: str(o.apiVersion), kind: str(o.kind), name: "" };
  const md = o.metadata;
  if (md && typeof md === "object" && !Array.isArray(md)) {
    const m = md as Record<string, unknown>;
    head.name = str(m.name);
    const ann = m.annotations;
    if (ann && typeof ann === "object" && !Array.isArray(ann)) {
      head.annotations = {};
      for (const [k, v] of Object.entries(ann)) {
        if (typeof v !== "string" && v !== null) {
          throw new ManifestParseError(
            path,
            `json: cannot unmarshal ${
              typeof v === "number" ? "number" : typeof v
            } into Go struct field .metadata.annotations of type string`,
          );
        }
        head.annotations[k] = v ?? "";
      }
    }
  }
  return head;
}
