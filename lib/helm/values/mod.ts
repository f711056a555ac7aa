// Values: parsing, --set parsing (Helm's strvals), user-value merging, coalescing into the
// chart tree, and values.schema.json validation.
export {
  coalesceTables,
  coalesceValues,
  GLOBAL_KEY,
  mergeChartValues,
  mergeTables,
  type ValuesChart,
  ValuesTypeError,
  type Warn,
} from "./coalesce.ts";
export { deepCopy, isTable, type Table } from "./copy.ts";
export { normalize, parseValuesYaml, type Values, ValuesError } from "./parse.ts";
export { pathToMap, pathValue, tableAt } from "./path.ts";
export {
  type SchemaChart,
  SchemaLoadError,
  SchemaValidationError,
  validateAgainstSchema,
  validateSingleSchema,
} from "./schema.ts";
export {
  MAX_INDEX,
  MAX_NESTED_NAME_LEVEL,
  parseSet,
  parseSetInto,
  type SetKind,
  SetParseError,
  typedValue,
} from "./strvals.ts";
export { mergeMaps, mergeValues, SetValueError, type ValueSources } from "./user_values.ts";
