// Sprig's reflection helpers: typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual.
import { type FuncMap, typed, typeName } from "../gotemplate/mod.ts";
import { kindName } from "./cast.ts";
import { deepEqual } from "./deep_equal.ts";

function kindOfValue(v: unknown): string {
  if (v === null || v === undefined) return "invalid";
  return kindName(v);
}

export const reflectFuncs: FuncMap = {
  typeOf: typed(["any"], (v: unknown) => typeName(v ?? null)),
  typeIs: typed(["string", "any"], (t: string, v: unknown) => t === typeName(v ?? null)),
  typeIsLike: typed(["string", "any"], (t: string, v: unknown) => {
    const s = typeName(v ?? null);
    return t === s || "*" + t === s;
  }),
  kindOf: typed(["any"], kindOfValue),
  kindIs: typed(["string", "any"], (t: string, v: unknown) => t === kindOfValue(v)),
  deepEqual: typed(["any", "any"], deepEqual),
};
