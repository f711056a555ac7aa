// The schema DSL: define a config shape once, get both its TypeScript type and its validator.
export {
  type AnySchema,
  type CheckContext,
  childPath,
  describeValue,
  type Infer,
  INVALID,
  type Presence,
  Schema,
} from "./schema.ts";
export {
  anyJson,
  boolean,
  enumOf,
  freeObject,
  integer,
  type JsonValue,
  string,
} from "./scalars.ts";
export {
  array,
  isPlainObject,
  mapOf,
  object,
  type ObjectOf,
  ObjectSchema,
  type Shape,
} from "./composites.ts";
export { duration, goRegexp, namespaceName, objectName, semverRange, url } from "./formats.ts";
export { closest } from "./suggest.ts";
