// Template functions: how a Go function's signature is described, so the engine can apply Go's
// argument rules (arity, constant conversion, assignability) and report Go's messages.

/**
 * A parameter type. "any" is interface{}; "value" is reflect.Value (builtins: receives
 * `undefined` for a missing value instead of nil); "map" is map[string]interface{};
 * "[]any" is []interface{}.
 */
export type ParamType =
  | "any"
  | "value"
  | "string"
  | "bool"
  | "int"
  | "int64"
  | "uint32"
  | "float64"
  | "map"
  | "[]any"
  | "[]string";

/** A function whose Go signature is known. */
export interface TypedFunc {
  readonly params: readonly ParamType[];
  /** The element type of a trailing `...T` parameter. */
  readonly variadic?: ParamType;
  // The args arrive converted to the declared types; `never[]` lets any concrete signature in.
  readonly fn: (...args: never[]) => unknown;
}

/** What a function sees as `this` when the engine calls it. */
export interface CallContext {
  /** Name the function was called by. */
  readonly name: string;
}

/**
 * A template function: either a typed description (preferred: Go's argument checks apply) or a
 * plain JS function, called like a Go `func(args ...interface{}) interface{}`. Either kind
 * reports a Go error by throwing GoFuncError.
 */
export type GoFunc = TypedFunc | ((this: CallContext, ...args: never[]) => unknown);

export type FuncMap = Record<string, GoFunc>;

/** Describes a Go function: `typed(["int", "string"], (n, s) => ...)`. */
export function typed(
  params: readonly ParamType[],
  fn: (...args: never[]) => unknown,
  variadic?: ParamType,
): TypedFunc {
  return { params, fn, variadic };
}

export function isTypedFunc(f: GoFunc): f is TypedFunc {
  return typeof f === "object";
}

/** Go's spelling of a parameter type, for error messages. */
export function paramTypeName(t: ParamType): string {
  switch (t) {
    case "any":
      return "interface {}";
    case "value":
      return "reflect.Value";
    case "map":
      return "map[string]interface {}";
    case "[]any":
      return "[]interface {}";
    default:
      return t;
  }
}
