// Sprig's defaults.go: default, empty, coalesce, all, any, ternary and the JSON functions.
import { type FuncMap, GoFuncError, GoPanic, typed } from "../gotemplate/mod.ts";
import { empty } from "./cast.ts";
import { JsonError, marshalJson, parseJson } from "./json.ts";

function tryJson(v: unknown, options: { escapeHTML?: boolean; indent?: string }): string {
  try {
    return marshalJson(v, options);
  } catch (e) {
    if (e instanceof JsonError) return "";
    throw e;
  }
}

function mustJson(v: unknown, options: { escapeHTML?: boolean; indent?: string }): string {
  try {
    return marshalJson(v, options);
  } catch (e) {
    if (e instanceof JsonError) throw new GoFuncError(e.message);
    throw e;
  }
}

export const defaultFuncs: FuncMap = {
  default: typed(["any"], (d: unknown, ...given: unknown[]) => {
    if (given.length === 0 || empty(given[0])) return d;
    return given[0];
  }, "any"),
  empty: typed(["any"], empty),
  coalesce: typed([], (...v: unknown[]) => v.find((x) => !empty(x)) ?? null, "any"),
  all: typed([], (...v: unknown[]) => v.every((x) => !empty(x)), "any"),
  any: typed([], (...v: unknown[]) => v.some((x) => !empty(x)), "any"),
  ternary: typed(["any", "any", "bool"], (t: unknown, f: unknown, v: boolean) => v ? t : f),
  fromJson: typed(["string"], (s: string) => {
    try {
      return parseJson(s);
    } catch (e) {
      if (e instanceof JsonError) return null;
      throw e;
    }
  }),
  mustFromJson: typed(["string"], (s: string) => {
    try {
      return parseJson(s);
    } catch (e) {
      if (e instanceof JsonError) throw new GoFuncError(e.message);
      throw e;
    }
  }),
  toJson: typed(["any"], (v: unknown) => tryJson(v, {})),
  mustToJson: typed(["any"], (v: unknown) => mustJson(v, {})),
  toPrettyJson: typed(["any"], (v: unknown) => tryJson(v, { indent: "  " })),
  mustToPrettyJson: typed(["any"], (v: unknown) => mustJson(v, { indent: "  " })),
  toRawJson: typed(["any"], (v: unknown) => {
    try {
      return marshalJson(v, { escapeHTML: false });
    } catch (e) {
      if (e instanceof JsonError) throw new GoPanic(e.message);
      throw e;
    }
  }),
  mustToRawJson: typed(["any"], (v: unknown) => mustJson(v, { escapeHTML: false })),
};
