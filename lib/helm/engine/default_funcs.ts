// The functions every chart may call besides Helm's own: Sprig's, as Helm 3 registers them.
import type { FuncMap } from "../../gotemplate/mod.ts";
import { sprigFuncs } from "../../sprig/mod.ts";

let cached: FuncMap | undefined;

/** Sprig's TxtFuncMap without env/expandenv (one shared map, so parsed charts can be cached). */
export function defaultFuncs(): FuncMap {
  if (!cached) cached = sprigFuncs();
  return cached;
}
