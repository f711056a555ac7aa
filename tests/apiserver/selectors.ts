// Label and field selectors as the API parses them from `labelSelector=`/`fieldSelector=`
// query strings, and the structured LabelSelector of object specs (matchLabels/matchExpressions).
import { badRequest } from "./status.ts";

type Requirement =
  | { op: "=" | "!="; key: string; values: string[] }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!"; key: string; values: string[] }
  | { op: "gt" | "lt"; key: string; values: string[] };

export type Selector = (labels: Record<string, string>) => boolean;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(text: string): Requirement {
  let m = text.match(/^(\S+?)\s+(in|notin)\s*\((.*)\)$/);
  if (m) {
    const values = m[3].split(",").map((v) => v.trim()).filter((v) => v !== "");
    return { op: m[2] as "in" | "notin", key: m[1], values };
  }
  m = text.match(/^!\s*(\S+)$/);
  if (m) return { op: "!", key: m[1], values: [] };
  m = text.match(/^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/);
  if (m) {
    const op = m[2] === "==" || m[2] === "="
      ? "="
      : m[2] === "!="
      ? "!="
      : m[2] === ">"
      ? "gt"
      : "lt";
    if ((op === "gt" || op === "lt") && !/^-?\d+$/.test(m[3])) {
      throw badRequest(
        `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
    return { op, key: m[1], values: [m[3]] } as Requirement;
  }
  if (/^[A-Za-z0-9._\/-]+$/.test(text)) return { op: "exists", key: text, values: [] };
  throw badRequest(
    `unable to parse requirement: found '${text}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case "=":
      return has && v === r.values[0];
    case "!=":
      return !has || v !== r.values[0];
    case "in":
      return has && r.values.includes(v);
    case "notin":
      return !has || !r.values.includes(v);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
      return has && /^-?\d+$/.test(v) && Number(v) > Number(r.values[0]);
    case "lt":
      return has && /^-?\d+$/.test(v) && Number(v) < Number(r.values[0]);
  }
}

/** Parses a `labelSelector` query value (every operator the real API accepts). */
export function parseLabelSelector(text: string | null): Selector {
  if (!text) return () => true;
  const reqs = splitTopLevel(text).map(parseRequirement);
  return (labels) => reqs.every((r) => matches(r, labels));
}

/** Parses a `fieldSelector`: metadata.name/metadata.namespace (and a few kind-specific fields). */
export function parseFieldSelector(text: string | null): (obj: Record<string, unknown>) => boolean {
  if (!text) return () => true;
  const reqs = splitTopLevel(text).map((part) => {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${part}'; can't understand '${part}'`);
    return { field: m[1].trim(), not: m[2] === "!=", value: m[3].trim() };
  });
  return (obj) =>
    reqs.every((r) => {
      const actual = fieldValue(obj, r.field);
      return r.not ? actual !== r.value : actual === r.value;
    });
}

function fieldValue(obj: Record<string, unknown>, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (typeof cur !== "object" || cur === null) return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? "" : String(cur);
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Evaluates a structured LabelSelector; an empty selector matches everything. */
export function matchesLabelSelector(
  sel: LabelSelectorSpec | undefined,
  labels: Record<string, string>,
): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
