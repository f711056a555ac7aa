// SOPS's INI store: sections are branches (keys before any section belong to "DEFAULT", as in
// go-ini), comments attach to the key or section they precede, and the `[sops]` section holds
// the flattened metadata. Values are read as go-ini reads them by default: trimmed, quotes
// removed, `"""` multi-line values, inline `#`/`;` comments cut off.
import { SopsError } from "../errors.ts";
import { Branch, Comment, type TreeItem } from "../tree.ts";
import { unflatten } from "./flatten.ts";
import { decodeText, type LoadedFile, type Store } from "./store.ts";

const DEFAULT_SECTION = "DEFAULT";

interface IniKey {
  name: string;
  value: string;
  comment: string;
}

interface IniSection {
  name: string;
  comment: string;
  keys: IniKey[];
}

export class IniStore implements Store {
  load(bytes: Uint8Array, file: string | undefined): LoadedFile {
    const sections = parseIni(decodeText(bytes), file);
    const items: TreeItem[] = [];
    let metadata: unknown = undefined;
    for (const section of sections) {
      if (section.name === "sops") {
        const flat = new Map(section.keys.map((k) => [k.name, k.value.replaceAll("\\n", "\n")]));
        metadata = unflatten(flat);
        continue;
      }
      const inner: TreeItem[] = [];
      if (section.comment) {
        inner.push({ key: new Comment(stripCommentChar(section.comment)), value: null });
      }
      for (const k of section.keys) {
        inner.push({ key: k.name, value: k.value });
        if (k.comment) inner.push({ key: new Comment(stripCommentChar(k.comment)), value: null });
      }
      items.push({ key: section.name, value: new Branch(inner) });
    }
    return { branches: [new Branch(items)], metadata };
  }

  emit(branches: Branch[]): Uint8Array {
    const parts: string[] = [];
    for (const item of branches[0]?.items ?? []) {
      if (item.key instanceof Comment) continue;
      if (!(item.value instanceof Branch)) {
        throw new Error(`INI store: section ${item.key} is not a mapping`);
      }
      const lines: string[] = [];
      let pending: string[] = [];
      const entries = item.value.items;
      if (item.key === DEFAULT_SECTION && entries.length === 0) continue;
      let start = 0;
      if (entries[0]?.key instanceof Comment) {
        lines.push(`; ${entries[0].key.value}`);
        start = 1;
      }
      if (item.key !== DEFAULT_SECTION) lines.push(`[${item.key}]`);
      // SOPS files a key's comment after the key; go-ini writes it above the next key.
      const body: string[] = [];
      for (const e of entries.slice(start)) {
        if (e.key instanceof Comment) {
          pending.push(e.key.value);
          continue;
        }
        for (const c of pending) body.push(`; ${c}`);
        pending = [];
        body.push(`${e.key} = ${iniValue(e.value)}`);
      }
      for (const c of pending) body.push(`; ${c}`);
      parts.push([...lines, ...body].join("\n") + "\n");
    }
    return new TextEncoder().encode(parts.join("\n"));
  }
}

function iniValue(v: unknown): string {
  let s: string;
  if (v instanceof Uint8Array) s = new TextDecoder().decode(v);
  else if (v === null || v === undefined) s = "";
  else if (typeof v === "number") s = Number.isInteger(v) ? String(v) : v.toFixed(6);
  else s = String(v);
  if (s.includes("\n")) return `"""${s}"""`;
  if (/[#;]/.test(s) || s !== s.trim()) return "`" + s + "`";
  return s;
}

function stripCommentChar(comment: string): string {
  if (comment.startsWith(";")) return comment.replace(/^[; ]+/, "");
  if (comment.startsWith("#")) return comment.replace(/^[# ]+/, "");
  return comment;
}

function parseIni(text: string, file: string | undefined): IniSection[] {
  const sections: IniSection[] = [{ name: DEFAULT_SECTION, comment: "", keys: [] }];
  let current = sections[0];
  let comment: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trimStart();
    if (line === "") continue;
    if (line.startsWith("#") || line.startsWith(";")) {
      comment.push(line);
      continue;
    }
    if (line.startsWith("[")) {
      const end = line.lastIndexOf("]");
      if (end < 0) throw new SopsError("format", file, `line ${i + 1}: unclosed section header`);
      const name = line.slice(1, end).trim();
      const existing = sections.find((s) => s.name === name);
      current = existing ?? { name, comment: "", keys: [] };
      if (!existing) sections.push(current);
      if (comment.length) current.comment = comment.join("\n");
      comment = [];
      continue;
    }
    const delim = line.search(/[=:]/);
    if (delim < 0) {
      throw new SopsError("format", file, `line ${i + 1}: expected "key = value"`);
    }
    const name = line.slice(0, delim).trim();
    let rest = line.slice(delim + 1).trim();
    let value: string;
    if (rest.startsWith('"""')) {
      rest = rest.slice(3);
      const parts: string[] = [];
      while (!rest.includes('"""')) {
        parts.push(rest);
        if (++i >= lines.length) {
          throw new SopsError("format", file, `key ${JSON.stringify(name)}: unclosed """ value`);
        }
        rest = lines[i];
      }
      parts.push(rest.slice(0, rest.indexOf('"""')));
      value = parts.join("\n");
    } else if (rest.startsWith("`") && rest.indexOf("`", 1) > 0) {
      value = rest.slice(1, rest.indexOf("`", 1));
    } else {
      const inline = rest.search(/[#;]/);
      if (inline >= 0) {
        comment.push(rest.slice(inline));
        rest = rest.slice(0, inline).trim();
      }
      value = rest.length >= 2 && (rest[0] === '"' || rest[0] === "'") &&
          rest[rest.length - 1] === rest[0]
        ? rest.slice(1, -1)
        : rest;
    }
    const key: IniKey = { name, value, comment: comment.join("\n") };
    comment = [];
    const existing = current.keys.findIndex((k) => k.name === name);
    if (existing >= 0) current.keys[existing] = key;
    else current.keys.push(key);
  }
  return sections;
}
