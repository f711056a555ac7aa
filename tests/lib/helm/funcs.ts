import type { FuncMap } from "../../../lib/gotemplate/mod.ts";
import { defaultFuncs } from "../../../lib/helm/engine/default_funcs.ts";
export function helmFuncs(): FuncMap | undefined {
  return defaultFuncs();
}
