// SOPS's JSON store: one object, its `sops` key holding the metadata.
import { SopsError } from "../errors.ts";
import { Branch, Comment, toPlain, type TreeValue } from "../tree.ts";
import { JsonSyntaxError, parseOrderedJson } from "./json_parse.ts";
import { decodeText, type LoadedFile, type Store } from "./store.ts";

export class JsonStore implements Store {
  load(bytes: Uint8Array, file: string | undefined): LoadedFile {
    const root = readJsonObject(bytes, file);
    const at = root.items.findIndex((i) => i.key === "sops");
    let metadata: unknown = undefined;
    if (at >= 0) {
      metadata = toPlain(root.items[at].value);
      root.items.splice(at, 1);
    }
    return { branches: [root], metadata };
  }

  emit(branches: Branch[]): Uint8Array {
    const out = branches.map((b) => emitJson(b) + "\n").join("");
    return new TextEncoder().encode(out);
  }
}

export function readJsonObject(bytes: Uint8Array, file: string | undefined): Branch {
  let root: TreeValue;
  try {
    root = parseOrderedJson(decodeText(bytes));
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new SopsError("format", file, `invalid JSON: ${e.message}`);
    }
    throw e;
  }
  if (!(root instanceof Branch)) {
    throw new SopsError("format", file, "JSON documents that are not objects are not supported");
  }
  return root;
}

/** Writes JSON with tab indentation (as `sops decrypt` prints it), keeping key order. */
export function emitJson(v: TreeValue, indent = ""): string {
  const inner = indent + "\t";
  if (v instanceof Branch) {
    const items = v.items.filter((i) => typeof i.key === "string");
    if (items.length === 0) return "{}";
    const body = items.map((i) => `${inner}${JSON.stringify(i.key)}: ${emitJson(i.value, inner)}`);
    return `{\n${body.join(",\n")}\n${indent}}`;
  }
  if (Array.isArray(v)) {
    const items = v.filter((x) => !(x instanceof Comment));
    if (items.length === 0) return "[]";
    return `[\n${items.map((x) => inner + emitJson(x, inner)).join(",\n")}\n${indent}]`;
  }
  if (v instanceof Uint8Array) return JSON.stringify(new TextDecoder().decode(v));
  if (v instanceof Comment) return JSON.stringify(v.value);
  if (typeof v === "number" && !Number.isFinite(v)) return "null";
  return JSON.stringify(v);
}
