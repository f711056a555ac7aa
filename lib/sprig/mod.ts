/**
 * Sprig 3.2.3's template functions as Helm 3 registers them (TxtFuncMap without `env` and
 * `expandenv`), for lib/gotemplate.
 *
 * ```ts
 * new Template("t").funcs(sprigFuncs()).parse('{{ "x" | quote }}').execute({});
 * ```
 *
 * Differences from Go, all deliberate and listed here:
 * - regular expressions are Go RE2 patterns translated by lib/regexp; constructs JavaScript
 *   cannot match alike are refused with an error instead of matching differently;
 * - `getHostByName` answers from /etc/hosts (templates are synchronous; Deno has no
 *   synchronous DNS); other names fail like an offline Go lookup does;
 * - `genPrivateKey "dsa"` reports that DSA keys are unsupported (node:crypto cannot make them);
 * - `bcrypt`/`htpasswd` hash with cost 10 like Go but take ~0.3 s each in JavaScript.
 *
 * Results keep Go's types (see lib/gotemplate's value model): `add` gives int64, `len`/`atoi`
 * int, `splitList` []string, `now`/`toDate` a time.Time (GoTime), `semver` a *semver.Version,
 * `genCA` & co. a certificate struct with Cert and Key.
 */
import type { FuncMap } from "../gotemplate/mod.ts";
import { cryptoFuncs } from "./crypto.ts";
import { dateFuncs } from "./dates.ts";
import { defaultFuncs } from "./defaults.ts";
import { dictFuncs } from "./dicts.ts";
import { encodingFuncs } from "./encoding.ts";
import { listFuncs } from "./lists.ts";
import { mathFuncs } from "./math.ts";
import { networkFuncs } from "./network.ts";
import { pathFuncs } from "./paths.ts";
import { randomFuncs } from "./random.ts";
import { reflectFuncs } from "./reflect.ts";
import { regexFuncs } from "./regex.ts";
import { semverFuncs } from "./semver.ts";
import { stringFuncs } from "./strings.ts";
import { urlFuncs } from "./urls.ts";

const ALL: FuncMap = {
  ...stringFuncs,
  ...listFuncs,
  ...dictFuncs,
  ...mathFuncs,
  ...defaultFuncs,
  ...encodingFuncs,
  ...cryptoFuncs,
  ...dateFuncs,
  ...semverFuncs,
  ...regexFuncs,
  ...reflectFuncs,
  ...pathFuncs,
  ...urlFuncs,
  ...networkFuncs,
  ...randomFuncs,
};

/** A fresh copy of the function map (callers may add or override entries). */
export function sprigFuncs(): FuncMap {
  return { ...ALL };
}

export { deepCopy, mergeInto } from "./dicts.ts";
export { empty, strval, toFloat64, toInt64 } from "./cast.ts";
export { JsonError, marshalJson, parseJson, quoteJson } from "./json.ts";
export { GoTime } from "./gotime.ts";
export { SemverVersion } from "./semver.ts";
export { Certificate } from "./certs.ts";
export { base64Decode, base64Encode } from "./encoding.ts";
