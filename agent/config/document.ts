// Checks one parsed YAML document: apiVersion and kind known, metadata well-formed, the spec
// valid for that version; then normalizes the spec to the kind's internal shape.
import { findKind, KINDS } from "./kinds/mod.ts";
import type { ConfigObject, ObjectMeta, Origin } from "./objects.ts";
import {
  type CheckContext,
  closest,
  describeValue,
  INVALID,
  isPlainObject,
  mapOf,
  namespaceName,
  object,
  objectName,
  string,
} from "./schema/mod.ts";

export const DEFAULT_NAMESPACE = "flux-system";

const metadataSchema = object({
  name: objectName().doc("object name"),
  namespace: namespaceName().default(DEFAULT_NAMESPACE).doc("object namespace"),
  labels: mapOf(string()).optional().doc("labels"),
  annotations: mapOf(string()).optional().doc("annotations"),
});

// The Agent is named for readability only; its name is optional.
const agentMetadataSchema = metadataSchema.extend({
  name: objectName().default("skiff").doc("object name"),
});

const TOP_LEVEL = ["apiVersion", "kind", "metadata", "spec"];

/** Who a document is, as far as it could be read: used to label its problems. */
export interface DocumentIdentity {
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface DocumentReport {
  identity: DocumentIdentity;
  /** Undefined when the document has problems. */
  object?: ConfigObject<string, unknown>;
}

export function checkDocument(
  value: unknown,
  origin: Omit<Origin, "apiVersion" | "document">,
  report: (identity: DocumentIdentity, path: string, message: string) => void,
): DocumentReport {
  const identity: DocumentIdentity = {};
  const problem = (path: string, message: string) => report(identity, path, message);
  if (!isPlainObject(value)) {
    problem(
      "",
      `expected an object with apiVersion, kind, metadata and spec, got ${describeValue(value)}`,
    );
    return { identity };
  }
  // Name the document in messages as early as possible, even when other parts are wrong.
  if (typeof value.kind === "string") identity.kind = value.kind;
  const rawMeta = isPlainObject(value.metadata) ? value.metadata : {};
  if (typeof rawMeta.name === "string") identity.name = rawMeta.name;
  identity.namespace = typeof rawMeta.namespace === "string"
    ? rawMeta.namespace
    : DEFAULT_NAMESPACE;

  let valid = true;
  const ctxFor = (namespace: string, name: string): CheckContext => ({
    namespace,
    name,
    report(path, message) {
      valid = false;
      problem(path, message);
    },
  });

  const kindNames = KINDS.map((k) => k.kind);
  if (value.kind === undefined || value.kind === null) {
    problem("kind", "required field is missing");
    return { identity };
  }
  const definition = typeof value.kind === "string" ? findKind(value.kind) : undefined;
  if (!definition) {
    const guess = typeof value.kind === "string" ? closest(value.kind, kindNames) : undefined;
    problem(
      "kind",
      `unknown kind ${JSON.stringify(value.kind)}` +
        (guess ? `; did you mean "${guess}"?` : ` (expected one of: ${kindNames.join(", ")})`),
    );
    return { identity };
  }
  const apiVersions = definition.versions.map((v) => v.apiVersion);
  if (value.apiVersion === undefined || value.apiVersion === null) {
    problem("apiVersion", `required field is missing (expected one of: ${apiVersions.join(", ")})`);
    return { identity };
  }
  const version = definition.versions.find((v) => v.apiVersion === value.apiVersion);
  if (!version) {
    problem(
      "apiVersion",
      `${definition.kind} is not served as ${JSON.stringify(value.apiVersion)} (expected one of: ${
        apiVersions.join(", ")
      })`,
    );
    return { identity };
  }

  for (const key of Object.keys(value)) {
    if (TOP_LEVEL.includes(key)) continue;
    const guess = closest(key, TOP_LEVEL);
    problem(
      key,
      key === "status"
        ? "unknown field: status is written by the agent, not read from the config"
        : guess
        ? `unknown field; did you mean "${guess}"?`
        : "unknown field (known fields: apiVersion, kind, metadata, spec)",
    );
    valid = false;
  }

  const isAgent = definition.kind === "Agent";
  let metadata: ObjectMeta | undefined;
  if (value.metadata === undefined || value.metadata === null) {
    if (isAgent) metadata = { name: "skiff", namespace: DEFAULT_NAMESPACE };
    else problem("metadata", "required field is missing (it needs at least a name)");
  } else {
    const checked = (isAgent ? agentMetadataSchema : metadataSchema).check(
      value.metadata,
      "metadata",
      ctxFor(DEFAULT_NAMESPACE, ""),
    );
    if (checked !== INVALID) metadata = checked;
  }
  if (!metadata) return { identity };
  identity.name = metadata.name;
  identity.namespace = metadata.namespace;

  let spec: unknown = value.spec;
  if (spec === undefined || spec === null) {
    if (definition.specRequired) {
      problem("spec", "required field is missing");
      return { identity };
    }
    spec = {};
  }
  const ctx = ctxFor(metadata.namespace, metadata.name);
  const checkedSpec = version.spec.check(spec, "spec", ctx);
  if (checkedSpec === INVALID || !valid) return { identity };
  const normalized = version.normalize(checkedSpec, ctx);
  if (!valid) return { identity };
  return {
    identity,
    object: {
      apiVersion: definition.versions[0].apiVersion,
      kind: definition.kind,
      metadata,
      spec: normalized,
      origin: { ...origin, apiVersion: version.apiVersion, document: value },
    },
  };
}
