// The user's values, assembled as `helm template` does: `-f` files in order, then --set-json,
// --set, --set-string, --set-file; later sources win, maps merge, anything else is replaced.
import { isTable, type Table } from "./copy.ts";
import { parseValuesYaml } from "./parse.ts";
import { parseSetInto } from "./strvals.ts";

export interface ValueSources {
  /** `-f` files, in order: their path (for messages) and text. */
  files?: Array<{ path: string; text: string }>;
  jsonValues?: string[];
  values?: string[];
  stringValues?: string[];
  fileValues?: string[];
  /** Reads a `--set-file` path. */
  readFile?: (path: string) => string;
}

/** Helm's mergeMaps: b over a, maps merged recursively, a left untouched. */
export function mergeMaps(a: Table, b: Table): Table {
  const out: Table = { ...a };
  for (const k of Object.keys(b)) {
    const v = b[k];
    if (isTable(v) && isTable(out[k])) {
      out[k] = mergeMaps(out[k] as Table, v);
      continue;
    }
    out[k] = v;
  }
  return out;
}

export class SetValueError extends Error {
  override readonly name = "SetValueError";
  constructor(readonly flag: string, readonly reason: string) {
    super(`failed parsing ${flag} data: ${reason}`);
  }
}

/** Combines every source of user values into one map. */
export function mergeValues(sources: ValueSources): Table {
  let base: Table = {};
  for (const f of sources.files ?? []) {
    base = mergeMaps(base, parseValuesYaml(f.text, f.path));
  }
  const apply = (
    list: string[] | undefined,
    flag: string,
    kind: "json" | "set" | "string" | "file",
  ) => {
    for (const expr of list ?? []) {
      try {
        parseSetInto(expr, base, kind, sources.readFile);
      } catch (e) {
        throw new SetValueError(flag, (e as Error).message);
      }
    }
  };
  apply(sources.jsonValues, "--set-json", "json");
  apply(sources.values, "--set", "set");
  apply(sources.stringValues, "--set-string", "string");
  apply(sources.fileValues, "--set-file", "file");
  return base;
}
