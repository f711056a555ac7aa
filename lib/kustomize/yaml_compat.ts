// Reading resource files as kustomize's YAML library (go-yaml v3) reads them. lib/yaml parses
// YAML 1.2 core; go-yaml v3 additionally reads plain 0644 as octal, 1_000 and 0b101 as numbers,
// -0x1F as a negative hex number and plain timestamps as times (printed as RFC 3339). Documents
// that contain such scalars get those values corrected from their source text.
import { parseDocuments, YAML, YamlError } from "../yaml/mod.ts";

const CANDIDATE = /(^|[\s:\-\[,])([-+]?0[0-7_]|[-+]?[0-9][0-9_]*_|[-+]?0[bB]|[-+]0[xX]|\d{4}-\d)/m;
const TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$/;

/** The value go-yaml v3 gives a plain scalar, or undefined when lib/yaml already agrees. */
export function goYamlPlainValue(source: string): unknown {
  const t = source.match(TIMESTAMP);
  if (t) return goTime(t);
  if (!/^[-+]?[0-9]/.test(source)) return undefined;
  const plain = source.replace(/_/g, "");
  const sign = plain.startsWith("-") ? -1 : 1;
  const body = plain.replace(/^[-+]/, "");
  let n: number | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(body)) n = parseInt(body.slice(2), 8);
  else if (/^0[bB][01]+$/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^0[0-7]+$/.test(body)) n = parseInt(body, 8);
  else if (/^[0-9]+$/.test(body) && source.includes("_")) n = parseInt(body, 10);
  else if (source.includes("_") && /^[0-9.]+([eE][-+]?[0-9]+)?$/.test(body)) n = parseFloat(body);
  return n === undefined ? undefined : sign * n;
}

function pad(s: string | undefined, n: number): string {
  return (s ?? "0").padStart(n, "0");
}

/** Go's time.Time in JSON: RFC 3339 with the shortest fraction, "Z" for UTC. */
function goTime(m: RegExpMatchArray): string {
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const date = `${y}-${pad(mo, 2)}-${pad(d, 2)}`;
  if (h === undefined) return `${date}T00:00:00Z`;
  const fraction = (frac ?? "").replace(/0+$/, "");
  let z = "Z";
  if (zone && zone !== "Z") {
    const zm = zone.match(/^([-+])([0-9]{1,2}):?([0-9]{2})?$/)!;
    const hours = pad(zm[2], 2), minutes = pad(zm[3], 2);
    z = hours === "00" && minutes === "00" ? "Z" : `${zm[1]}${hours}:${minutes}`;
  }
  return `${date}T${pad(h, 2)}:${mi}:${s}${fraction ? "." + fraction : ""}${z}`;
}

export interface ResourceDocument {
  index: number;
  value: unknown;
}

/** Parses a multi-document resource file; throws the first YamlError. */
export function parseResourceYaml(
  text: string,
  file: string,
  maxAliases: number,
): ResourceDocument[] {
  const docs = parseDocuments(text, { file, maxAliases });
  const fix = CANDIDATE.test(text);
  const out: ResourceDocument[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw doc.errors[0];
    let value = doc.value;
    if (fix && value !== null && typeof value === "object") {
      let changed = false;
      YAML.visit(doc.document, {
        Scalar(key, node) {
          if (key === "key" || node.type !== "PLAIN" || typeof node.source !== "string") return;
          const v = goYamlPlainValue(node.source);
          if (v !== undefined && v !== node.value) {
            node.value = v;
            changed = true;
          }
        },
      });
      if (changed) {
        try {
          value = doc.document.toJS({ maxAliasCount: maxAliases });
        } catch (e) {
          throw new YamlError(file, doc.index, (e as Error).message);
        }
      }
    }
    out.push({ index: doc.index, value });
  }
  return out;
}
