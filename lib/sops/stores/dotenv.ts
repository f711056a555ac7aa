// SOPS's dotenv store: `KEY=value` lines split at the first "=", `#` comment lines, `\n`
// escapes for newlines, and the metadata as `sops_`-prefixed flattened keys.
import { SopsError } from "../errors.ts";
import { Branch, Comment, type TreeItem } from "../tree.ts";
import { unflatten } from "./flatten.ts";
import { decodeText, type LoadedFile, type Store } from "./store.ts";

const SOPS_PREFIX = "sops_";

export class DotenvStore implements Store {
  load(bytes: Uint8Array, file: string | undefined): LoadedFile {
    const items: TreeItem[] = [];
    const meta = new Map<string, string>();
    const lines = decodeText(bytes).split("\n");
    lines.forEach((line, i) => {
      if (line === "") return;
      if (line.startsWith("#")) {
        items.push({ key: new Comment(line.slice(1)), value: null });
        return;
      }
      const eq = line.indexOf("=");
      if (eq < 0) {
        // The line itself may hold a secret: name its number only.
        throw new SopsError("format", file, `line ${i + 1}: invalid dotenv line (no "=")`);
      }
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).replaceAll("\\n", "\n");
      if (key.startsWith(SOPS_PREFIX)) meta.set(key.slice(SOPS_PREFIX.length), value);
      else items.push({ key, value });
    });
    return { branches: [new Branch(items)], metadata: meta.size ? unflatten(meta) : undefined };
  }

  emit(branches: Branch[]): Uint8Array {
    let out = "";
    for (const item of branches[0]?.items ?? []) {
      if (item.key instanceof Comment) {
        out += `#${item.key.value}\n`;
        continue;
      }
      const v = item.value;
      if (v instanceof Branch || Array.isArray(v)) {
        throw new Error(`dotenv store: ${item.key} holds a nested value`);
      }
      const text = v instanceof Uint8Array ? new TextDecoder().decode(v) : formatScalar(v);
      out += `${item.key}=${text.replaceAll("\n", "\\n")}\n`;
    }
    return new TextEncoder().encode(out);
  }
}

function formatScalar(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Comment) return v.value;
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}
