// Sprig's certificate functions are not available yet (see the report); they fail clearly.
import { type FuncMap, GoFuncError } from "../gotemplate/mod.ts";

function unavailable(name: string): () => never {
  return () => {
    throw new GoFuncError(`${name} is not supported by skiff yet`);
  };
}

export const certFuncs: FuncMap = {};
for (
  const name of [
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
  ]
) certFuncs[name] = unavailable(name);
