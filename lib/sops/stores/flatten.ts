// dotenv and INI files keep SOPS metadata flattened into single-level keys:
// `age__list_0__map_recipient` is `age[0].recipient`. This rebuilds the nested form.

const MAP = "__map_";
const LIST = "__list_";

type Token = { map: string } | { list: number };

function tokenize(path: string): Token[] {
  const tokens: Token[] = [];
  const re = /__map_|__list_/g;
  let last = 0;
  let kind: "root" | "map" | "list" = "root";
  const finish = (end: number) => {
    const text = path.slice(last, end);
    tokens.push(kind === "list" ? { list: Number.parseInt(text, 10) || 0 } : { map: text });
  };
  for (let m = re.exec(path); m; m = re.exec(path)) {
    finish(m.index);
    kind = m[0] === MAP ? "map" : "list";
    last = m.index + (m[0] === MAP ? MAP.length : LIST.length);
  }
  finish(path.length);
  return tokens;
}

/** Un-flattens `key → value` pairs into nested objects and arrays. */
export function unflatten(flat: ReadonlyMap<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of flat) {
    const tokens = tokenize(key);
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const next = tokens[i + 1];
      const slot = "map" in t ? t.map : t.list;
      const holder = node as Record<string | number, unknown>;
      if (!next) {
        holder[slot] = value;
        break;
      }
      if (holder[slot] === undefined || typeof holder[slot] !== "object") {
        holder[slot] = "map" in next ? {} : [];
      }
      node = holder[slot] as Record<string, unknown> | unknown[];
    }
  }
  return root;
}
