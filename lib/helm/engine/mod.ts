// Helm's rendering engine on lib/gotemplate: built-in objects, Helm's functions, toYaml & co.
export {
  Capabilities,
  type CapabilityOptions,
  DEFAULT_API_VERSIONS,
  KubeVersion,
  KubeVersionError,
  makeCapabilities,
  parseKubeVersion,
  VersionSet,
} from "./capabilities.ts";
export { ChartObject } from "./chart_object.ts";
export { defaultFuncs } from "./default_funcs.ts";
export { RenderError } from "./errors.ts";
export { Files } from "./files.ts";
export { compileGlob, globMatch } from "./glob.ts";
export { formatFloatG, formatJsonFloat } from "./go_float.ts";
export {
  compareBytes,
  JsonEncodeError,
  JsonNumber,
  marshalJson,
  toJsonValue,
} from "./json_value.ts";
export {
  clearTemplateCache,
  type EngineOptions,
  type LookupFunction,
  type ReleaseInfo,
  renderTemplates,
  type TopValues,
} from "./render.ts";
export {
  fromJson,
  fromJsonArray,
  fromYaml,
  fromYamlArray,
  serializeFuncs,
  toJson,
} from "./serialize_funcs.ts";
export { toToml } from "./to_toml.ts";
export { marshalYaml, toYaml, toYamlPretty } from "./to_yaml.ts";
