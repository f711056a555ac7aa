// Helm's toToml (BurntSushi/toml's encoder) for the shapes values take: tables of scalars,
// arrays and nested tables. Plain keys stay bare, others are quoted; nested tables become
// [a.b] sections after the plain keys; arrays of tables become [[a]] sections.
import { GoInt } from "../../gotemplate/mod.ts";
import { isTable } from "../values/copy.ts";
import { formatFloatG } from "./go_float.ts";

function key(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function scalar(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof GoInt) return v.value.toString();
  if (typeof v === "number") {
    const s = formatFloatG(v);
    return /[.eEn]/.test(s) ? s.replace("e+", "e+") : `${s}.0`;
  }
  if (Array.isArray(v)) return `[${v.map(scalar).join(", ")}]`;
  return JSON.stringify(String(v));
}

function isTableArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every(isTable);
}

function table(out: string[], path: string[], t: Record<string, unknown>): void {
  const keys = Object.keys(t).sort();
  for (const k of keys) {
    const v = t[k];
    if (v === null || v === undefined || isTable(v) || isTableArray(v)) continue;
    out.push(`${"  ".repeat(path.length)}${key(k)} = ${scalar(v)}`);
  }
  for (const k of keys) {
    const v = t[k];
    const sub = [...path, key(k)];
    if (isTable(v)) {
      out.push("");
      out.push(`${"  ".repeat(path.length)}[${sub.join(".")}]`);
      table(out, sub, v);
    } else if (isTableArray(v)) {
      for (const item of v) {
        out.push("");
        out.push(`${"  ".repeat(path.length)}[[${sub.join(".")}]]`);
        table(out, sub, item);
      }
    }
  }
}

export function toToml(v: unknown): string {
  if (!isTable(v)) return "toml: top-level values must be Go maps or structs";
  const out: string[] = [];
  table(out, [], v);
  const text = out.join("\n").replace(/^\n+/, "");
  return text === "" ? "" : `${text}\n`;
}
