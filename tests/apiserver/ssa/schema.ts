// The structure server-side apply merges by: for each node, whether it is a scalar, a list
// (atomic, set, or map keyed by fields) or a map (granular or atomic, with declared fields and/or
// free-form values). Built lazily from the OpenAPI v2 definitions of the built-ins, and from
// CRD `openAPIV3Schema`s, following kube-openapi's schemaconv rules.
import { readGzipped, readJson } from "../k8s_data.ts";
import type { JsonSchema } from "../catalog.ts";

export type TypeNode =
  | { kind: "scalar" }
  | { kind: "untyped" }
  | {
    kind: "list";
    relationship: "atomic" | "set" | "map";
    keys: string[];
    /** Defaults of key fields, used when an item omits one (e.g. ports' protocol: TCP). */
    keyDefaults: Record<string, unknown>;
    elem: () => TypeNode;
  }
  | {
    kind: "map";
    atomic: boolean;
    fields: Map<string, () => TypeNode>;
    elem?: () => TypeNode;
  };

export const SCALAR: TypeNode = { kind: "scalar" };
export const UNTYPED: TypeNode = { kind: "untyped" };

type Definitions = Record<string, JsonSchema>;

let definitionsCache: Definitions | undefined;

/** The OpenAPI v2 definitions of the Kubernetes 1.34 built-ins (read once per process). */
export function swaggerDefinitions(): Definitions {
  if (!definitionsCache) {
    definitionsCache = (JSON.parse(swaggerText()) as { definitions: Definitions }).definitions;
  }
  return definitionsCache;
}

let swaggerTextCache: string | undefined;
export function swaggerText(): string {
  if (!swaggerTextCache) {
    swaggerTextCache = new TextDecoder().decode(readGzipped("swagger-v1.34.json.gz"));
  }
  return swaggerTextCache;
}

const builtInTypes = new Map<string, TypeNode>();

/** The type of a built-in definition such as `io.k8s.api.apps.v1.Deployment`. */
export function definitionType(name: string): TypeNode {
  let t = builtInTypes.get(name);
  if (!t) {
    const def = swaggerDefinitions()[name];
    t = def ? convert(def, (ref) => definitionType(ref)) : UNTYPED;
    builtInTypes.set(name, t);
  }
  return t;
}

const REF_PREFIX = "#/definitions/";

function convert(s: JsonSchema, resolveRef: (name: string) => TypeNode): TypeNode {
  const ref = s.$ref as string | undefined;
  if (ref) {
    const name = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
    return overlayMapType(s, resolveRef(name));
  }
  if (s["x-kubernetes-int-or-string"]) return SCALAR;
  const allOf = s.allOf as JsonSchema[] | undefined;
  if (allOf && allOf.length === 1 && allOf[0].$ref) {
    return overlayMapType(s, convert(allOf[0], resolveRef));
  }
  if (s.type === "array") return listType(s, resolveRef);
  const hasProps = s.properties && Object.keys(s.properties).length > 0;
  const addl = s.additionalProperties;
  if (s.type === "object" || hasProps || (addl && typeof addl === "object")) {
    if (!hasProps && !(addl && typeof addl === "object")) {
      // A free-form object (RawExtension, preserve-unknown-fields): merged by deduction.
      return s["x-kubernetes-map-type"] === "atomic" ? atomicMap() : UNTYPED;
    }
    const fields = new Map<string, () => TypeNode>();
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      fields.set(name, lazy(() => convert(prop, resolveRef)));
    }
    let elem: (() => TypeNode) | undefined;
    if (addl && typeof addl === "object") {
      elem = lazy(() => convert(addl, resolveRef));
    } else if (s["x-kubernetes-preserve-unknown-fields"]) {
      elem = () => UNTYPED;
    }
    return { kind: "map", atomic: s["x-kubernetes-map-type"] === "atomic", fields, elem };
  }
  if (s.type === undefined && s["x-kubernetes-preserve-unknown-fields"]) return UNTYPED;
  return SCALAR;
}

function atomicMap(): TypeNode {
  return { kind: "map", atomic: true, fields: new Map() };
}

function overlayMapType(s: JsonSchema, t: TypeNode): TypeNode {
  const mt = s["x-kubernetes-map-type"];
  if (t.kind === "map" && mt && (mt === "atomic") !== t.atomic) {
    return { ...t, atomic: mt === "atomic" };
  }
  return t;
}

function listType(s: JsonSchema, resolveRef: (name: string) => TypeNode): TypeNode {
  const items = s.items ?? {};
  const elem = lazy(() => convert(items, resolveRef));
  const lt = s["x-kubernetes-list-type"];
  const keyDefaults = lazy(() => keyDefaultsOf(items, s["x-kubernetes-list-map-keys"] ?? []));
  const base = { kind: "list" as const, elem };
  if (lt === "map") {
    const keys = s["x-kubernetes-list-map-keys"] ?? [];
    return {
      ...base,
      relationship: "map",
      keys,
      get keyDefaults() {
        return keyDefaults();
      },
    };
  }
  if (lt === "set") return { ...base, relationship: "set", keys: [], keyDefaults: {} };
  if (lt === "atomic") return { ...base, relationship: "atomic", keys: [], keyDefaults: {} };
  // No list type: schemaconv falls back on the strategic-merge patch strategy.
  const strategy = String(s["x-kubernetes-patch-strategy"] ?? "");
  if (strategy.split(",").includes("merge")) {
    const key = s["x-kubernetes-patch-merge-key"] as string | undefined;
    if (key) return { ...base, relationship: "map", keys: [key], keyDefaults: {} };
    return { ...base, relationship: "set", keys: [], keyDefaults: {} };
  }
  return { ...base, relationship: "atomic", keys: [], keyDefaults: {} };
}

function keyDefaultsOf(items: JsonSchema, keys: string[]): Record<string, unknown> {
  let props = items.properties;
  const ref = items.$ref as string | undefined;
  let v3Props: Record<string, JsonSchema> | undefined;
  if (!props && ref?.startsWith(REF_PREFIX)) {
    const name = ref.slice(REF_PREFIX.length);
    props = swaggerDefinitions()[name]?.properties;
    // The v2 document has no defaults; the v3 one (which the real server's schema comes from)
    // has them, e.g. "protocol": "TCP" on ports, which are list-map keys.
    v3Props = coreV3Schemas()[name]?.properties;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const d = props?.[k]?.default ?? v3Props?.[k]?.default;
    if (d !== undefined) out[k] = d;
  }
  return out;
}

let coreV3Cache: Record<string, JsonSchema> | undefined;
function coreV3Schemas(): Record<string, JsonSchema> {
  if (!coreV3Cache) {
    const doc = readJson<{ components: { schemas: Record<string, JsonSchema> } }>(
      "openapi-v3-v1.34/api__v1_openapi.json.gz",
    );
    coreV3Cache = doc.components.schemas;
  }
  return coreV3Cache;
}

function lazy<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

/**
 * The type of a custom resource: its openAPIV3Schema, with the standard `metadata`
 * (ObjectMeta) and `apiVersion`/`kind` fields every object has.
 */
export function crdType(schema: JsonSchema | undefined): TypeNode {
  const root = schema ? convert(schema, (ref) => definitionType(ref)) : UNTYPED;
  const meta = () => definitionType("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  const fields = new Map<string, () => TypeNode>();
  if (root.kind === "map") { for (const [k, v] of root.fields) fields.set(k, v); }
  fields.set("metadata", meta);
  fields.set("apiVersion", () => SCALAR);
  fields.set("kind", () => SCALAR);
  const elem = root.kind === "map" ? root.elem : () => UNTYPED;
  return { kind: "map", atomic: false, fields, elem: elem ?? (schema ? undefined : () => UNTYPED) };
}
