/**
 * Go's text/template, exact to Go's output and error messages, for rendering Helm charts.
 *
 * ```ts
 * const t = new Template("t").funcs(sprigFuncs()).parse('{{ .name | upper }}');
 * t.execute({ name: "x" }); // "X"
 * ```
 *
 * ## Value model: Go values in JavaScript
 *
 * | Go                                  | JavaScript                                               |
 * |-------------------------------------|----------------------------------------------------------|
 * | `int`                               | `bigint` (`len`, `range` indexes, constants like `3`, `atoi`, `int`) |
 * | `int64`, `uint8`, other int kinds   | `GoInt { value: bigint, kind: "int64" }` (`add`, `int64`, `--set` ints) |
 * | `float64`                           | `number` (every number of Helm's values: sigs.k8s.io/yaml → JSON → float64) |
 * | `string`, `bool`                    | `string`, `boolean`                                      |
 * | `nil` (a nil interface{} value)     | `null`                                                   |
 * | no value (Go's invalid reflect.Value, prints `<no value>`) | `undefined`                       |
 * | `map[string]interface{}`            | a plain object (Object or null prototype); keys print and range sorted |
 * | `[]interface{}`                     | an `Array`                                               |
 * | other named map/slice types         | the same, tagged with `withGoType(x, "[]string")`         |
 * | maps with non-string keys (struct keys) | a `Map`; `range` yields its entries in insertion order (insert them in Go's key order) |
 * | structs (Helm's .Release, .Chart, time.Time) | class instances: own properties are fields, prototype methods are methods (`.Files.Get "x"`); `static goType` names the type; a `String()` method is used by fmt like Go's Stringer |
 * | `[]byte`                            | `Uint8Array`                                             |
 *
 * So `{{ .Values.n }}` prints `1e+06` for `n: 1000000` from a values file (float64: Go's own
 * sigs.k8s.io/yaml + Sprig print exactly that, checked by the oracle), and `1000000` for
 * `--set n=1000000` (int64). Use `fromPlain(data)` to turn parsed YAML/JSON into this model
 * (numbers stay float64; `{ integers: true }` gives int64 instead); `setEntry` adds a map key
 * safely (even "__proto__"). A `null` inside a map or list is a nil interface{}; a field lookup
 * on it fails like Go (`nil pointer evaluating interface {}.x`), `undefined` (no value) does not.
 * Time values (`now`, `toDate`) are lib/sprig's `GoTime` structs.
 *
 * ## Functions
 *
 * A function is described with `typed(params, fn, variadic?)` so Go's argument rules apply
 * (`wrong number of args for x: want 2 got 1`, `expected integer; found "a"`, `wrong type for
 * value; expected int; got float64`), or given as a plain JS function taking interface{} args.
 * A function reports a Go error by throwing `GoFuncError(message)` (`GoPanic` for Go's panics,
 * which the engine reports the same way); the engine reports
 * `template: t:1:3: executing "t" at <fn 1>: error calling fn: message`. Functions that need
 * the template set (Helm's include/tpl) close over the Template they were registered on and
 * call `executeTemplate` / `clone().parse()` on it; an ExecError thrown inside is wrapped the
 * way Go wraps it.
 *
 * ## Render budget
 *
 * Every render has a time and size budget (`DEFAULT_RENDER_LIMITS`: 5 s, 50 Mi characters of
 * output, lists of 1 Mi elements), set with `new Template(name, { limits })` or, for several
 * executions counted as one render (a whole chart), `new RenderBudget(limits).run(() => ...)`.
 * Going over stops the render with `RenderBudgetError` (`limit`: "time" | "output" | "list"),
 * which passes through function calls unwrapped. List- and string-building functions call
 * `checkListLength` / `checkStringLength` before allocating.
 */
export { Template, type TemplateOptions } from "./template.ts";
export {
  activeBudget,
  type BudgetLimit,
  checkListLength,
  checkStringLength,
  DEFAULT_RENDER_LIMITS,
  RenderBudget,
  RenderBudgetError,
  type RenderLimits,
} from "./budget.ts";
export { ExecError, GoFuncError, GoPanic, TemplateError } from "./errors.ts";
export type { MissingKey } from "./exec.ts";
export {
  type CallContext,
  type FuncMap,
  type GoFunc,
  type ParamType,
  typed,
  type TypedFunc,
} from "./funcs.ts";
export {
  floatValue,
  fromPlain,
  GO_TYPE,
  GoFloat32,
  GoInt,
  goInt,
  goInt64,
  type GoMap,
  type IntKind,
  intValue,
  isPlainMap,
  isStruct,
  isTrue,
  type Kind,
  kindOf,
  setEntry,
  typeName,
  withGoType,
} from "./value.ts";
export { formatArg, sprint, sprintf, sprintln } from "./fmt.ts";
export { formatFloat } from "./strconv.ts";
export { goQuote } from "./lex.ts";
export { htmlEscape, jsEscape, urlQueryEscape } from "./builtins.ts";
