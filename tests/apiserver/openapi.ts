// /openapi/v2 and /openapi/v3: the real Kubernetes 1.34 documents for built-ins (from
// data/, vendored from ../shared/k8s), and documents made from the CRD schemas for custom
// resources, so kubectl can explain and validate.
import type { Catalog, JsonSchema, ResourceType } from "./catalog.ts";
import { readGzipped, readJson } from "./k8s_data.ts";
import { swaggerText } from "./ssa/schema.ts";

interface V3Index {
  paths: Record<string, { serverRelativeURL: string }>;
  files: Record<string, { file: string; sha512: string }>;
}

let indexCache: V3Index | undefined;
function v3Index(): V3Index {
  if (!indexCache) {
    indexCache = readJson<V3Index>("openapi-v3-v1.34/index.json");
  }
  return indexCache;
}

const docCache = new Map<string, Uint8Array>();

function builtInDoc(gvPath: string): Uint8Array | undefined {
  const entry = v3Index().files[gvPath];
  if (!entry) return undefined;
  let doc = docCache.get(gvPath);
  if (!doc) {
    doc = readGzipped(`openapi-v3-v1.34/${entry.file}`);
    docCache.set(gvPath, doc);
  }
  return doc;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function isBuiltInGv(catalog: Catalog, group: string, version: string): boolean {
  return catalog.all().some((t) => t.group === group && t.version === version && t.definition);
}

async function sha512Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-512", data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")
    .toUpperCase();
}

/** GET /openapi/v3: the served group-versions and their document URLs. */
export async function v3Root(catalog: Catalog): Promise<Record<string, unknown>> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const t of catalog.all()) {
    const p = gvPath(t.group, t.version);
    if (seen.has(p)) continue;
    seen.add(p);
    const builtIn = v3Index().paths[p];
    if (builtIn && t.definition) paths[p] = builtIn;
    else {
      const doc = crdDoc(catalog, t.group, t.version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${await sha512Hex(doc)}` };
    }
  }
  return { paths };
}

/** GET /openapi/v3/<gv>: the document bytes, or undefined when the group-version is not served. */
export function v3Document(catalog: Catalog, path: string): Uint8Array | undefined {
  const parts = path.split("/");
  const group = parts[0] === "apis" ? parts[1] : "";
  const version = parts[0] === "apis" ? parts[2] : parts[1];
  if (!catalog.hasGroupVersion(group, version)) return undefined;
  if (isBuiltInGv(catalog, group, version)) return builtInDoc(path);
  return crdDoc(catalog, group, version);
}

let metaSchemasCache: Record<string, unknown> | undefined;
function metaSchemas(): Record<string, unknown> {
  if (!metaSchemasCache) {
    const doc = JSON.parse(new TextDecoder().decode(builtInDoc("apis/apps/v1"))) as {
      components: { schemas: Record<string, unknown> };
    };
    metaSchemasCache = {};
    for (const [k, v] of Object.entries(doc.components.schemas)) {
      if (k.startsWith("io.k8s.apimachinery.pkg.apis.meta.v1.")) metaSchemasCache[k] = v;
    }
  }
  return metaSchemasCache;
}

function reverseGroup(group: string): string {
  return group.split(".").reverse().join(".");
}

function crdDoc(catalog: Catalog, group: string, version: string): Uint8Array {
  const types = catalog.all().filter((t) => t.group === group && t.version === version);
  const schemas: Record<string, unknown> = { ...metaSchemas() };
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const name = `${reverseGroup(group)}.${version}.${t.kind}`;
    schemas[name] = crdSchema(t);
    const gvk = [{ group, version, kind: t.kind }];
    const base = t.namespaced
      ? `/apis/${group}/${version}/namespaces/{namespace}/${t.resource}`
      : `/apis/${group}/${version}/${t.resource}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    const response = { "200": { content: { "application/json": { schema: ref } } } };
    const param = (n: string) => ({
      name: n,
      in: "query",
      schema: { type: "string", uniqueItems: true },
    });
    paths[`${base}/{name}`] = {
      get: {
        "x-kubernetes-group-version-kind": gvk[0],
        "x-kubernetes-action": "get",
        responses: response,
      },
      put: {
        "x-kubernetes-group-version-kind": gvk[0],
        "x-kubernetes-action": "put",
        parameters: [param("dryRun"), param("fieldManager"), param("fieldValidation")],
        responses: response,
      },
      patch: {
        "x-kubernetes-group-version-kind": gvk[0],
        "x-kubernetes-action": "patch",
        parameters: [
          param("dryRun"),
          param("fieldManager"),
          param("fieldValidation"),
          param("force"),
        ],
        responses: response,
      },
    };
  }
  const doc = {
    openapi: "3.0.0",
    info: { title: "Kubernetes CRD Swagger", version: "v0.1.0" },
    paths,
    components: { schemas },
  };
  return new TextEncoder().encode(JSON.stringify(doc));
}

function crdSchema(t: ResourceType): JsonSchema {
  const s: JsonSchema = structuredClone(t.crdSchema ?? { type: "object" });
  s.type = "object";
  s.properties = {
    apiVersion: {
      type: "string",
      description: "APIVersion defines the versioned schema of this representation of an object.",
    },
    kind: {
      type: "string",
      description: "Kind is a string value representing the REST resource this object represents.",
    },
    metadata: {
      allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }],
      description: "Standard object's metadata.",
    },
    ...(s.properties ?? {}),
  };
  delete s.properties.metadata.type;
  s["x-kubernetes-group-version-kind"] = [{ group: t.group, version: t.version, kind: t.kind }];
  return s;
}

let v2Bytes: Uint8Array | undefined;
/** The OpenAPI v2 document as JSON (clients that ask for protobuf get 406 unless a .pb exists). */
export function v2Json(): Uint8Array {
  if (!v2Bytes) v2Bytes = new TextEncoder().encode(swaggerText());
  return v2Bytes;
}

const root = new URL("../../", import.meta.url).pathname;
/** Where the protobuf form of the v2 document is cached (made by the ssa oracle's openapi-pb). */
export const OPENAPI_V2_PB = `${root}.cache/apiserver/openapi-v2.pb`;

let v2PbBytes: Uint8Array | undefined;
/** The OpenAPI v2 document as protobuf (kubectl 1.20 validates with it), when it was made. */
export function v2Protobuf(): Uint8Array | undefined {
  if (!v2PbBytes) {
    try {
      v2PbBytes = Deno.readFileSync(OPENAPI_V2_PB);
    } catch {
      // Not made (yet): the ssa oracle's openapi-pb mode writes it.
    }
  }
  return v2PbBytes;
}
