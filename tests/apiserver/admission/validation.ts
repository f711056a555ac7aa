// Validation of names and of a few fields the real server checks, returning the causes of a
// 422 Invalid (field path, reason, message) in the real server's wording.
import { deepEqual, isObject, type JsonObject } from "../ssa/typed.ts";
import type { StatusCause } from "../status.ts";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function required(field: string): StatusCause {
  return { reason: "FieldValueRequired", message: "Required value", field };
}

function invalidValue(field: string, value: unknown, detail: string): StatusCause {
  return {
    reason: "FieldValueInvalid",
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field,
  };
}

const LABEL_NAMES = new Set(["Namespace", "Service"]);

export function validateName(kind: string, name: unknown): StatusCause[] {
  if (typeof name !== "string" || name === "") {
    return [required("metadata.name")];
  }
  if (LABEL_NAMES.has(kind)) {
    const re = kind === "Service" ? DNS1035_LABEL : DNS1123_LABEL;
    if (!re.test(name) || name.length > 63) {
      return [invalidValue(
        "metadata.name",
        name,
        kind === "Service"
          ? "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
          : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      )];
    }
    return [];
  }
  if (
    kind === "ClusterRole" || kind === "Role" || kind === "RoleBinding" ||
    kind === "ClusterRoleBinding"
  ) {
    // RBAC names are path segments: anything without "/" or "%".
    return /[\/%]/.test(name) || name === "." || name === ".."
      ? [invalidValue("metadata.name", name, "may not contain '/' or '%'")]
      : [];
  }
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    return [invalidValue(
      "metadata.name",
      name,
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    )];
  }
  return [];
}

function validateLabels(meta: JsonObject, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  const labels = meta.labels;
  if (!isObject(labels)) return out;
  for (const [k, v] of Object.entries(labels)) {
    if (!QUALIFIED_NAME.test(k)) {
      out.push(
        invalidValue(
          `${field}.labels`,
          k,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
    if (typeof v !== "string" || !LABEL_VALUE.test(v) || v.length > 63) {
      out.push(
        invalidValue(
          `${field}.labels`,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
  }
  return out;
}

function selectorMatches(selector: JsonObject, labels: Record<string, unknown>): boolean {
  const ml = isObject(selector.matchLabels) ? selector.matchLabels : {};
  return Object.entries(ml).every(([k, v]) => labels[k] === v);
}

function validateContainers(spec: JsonObject, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  const cs = spec.containers;
  if (!Array.isArray(cs) || cs.length === 0) return [required(`${field}.containers`)];
  cs.forEach((c, i) => {
    if (!isObject(c)) return;
    if (!c.name) out.push(required(`${field}.containers[${i}].name`));
    if (!c.image) out.push(required(`${field}.containers[${i}].image`));
  });
  return out;
}

function validateWorkload(o: JsonObject, old: JsonObject | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = isObject(o.spec) ? o.spec : {};
  const selector = spec.selector;
  const template = isObject(spec.template) ? spec.template : {};
  const tmeta = isObject(template.metadata) ? template.metadata : {};
  const tlabels = isObject(tmeta.labels) ? tmeta.labels : {};
  if (!isObject(selector)) out.push(required("spec.selector"));
  else if (!selectorMatches(selector, tlabels)) {
    out.push(invalidValue(
      "spec.template.metadata.labels",
      tlabels,
      "`selector` does not match template `labels`",
    ));
  }
  if (typeof spec.replicas === "number" && spec.replicas < 0) {
    out.push(invalidValue("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  }
  const podSpec = isObject(template.spec) ? template.spec : {};
  out.push(...validateContainers(podSpec, "spec.template.spec"));
  if (old && isObject(old.spec) && !deepEqual(old.spec.selector, spec.selector)) {
    out.push(invalidValue("spec.selector", spec.selector, "field is immutable"));
  }
  return out;
}

function validateService(o: JsonObject, old: JsonObject | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = isObject(o.spec) ? o.spec : {};
  if (spec.type !== "ExternalName" && spec.clusterIP !== "None") {
    if (!Array.isArray(spec.ports) || spec.ports.length === 0) out.push(required("spec.ports"));
  }
  if (old && isObject(old.spec)) {
    const before = old.spec.clusterIP;
    if (before && spec.clusterIP !== before && spec.type !== "ExternalName") {
      out.push(
        invalidValue(
          "spec.clusterIPs[0]",
          spec.clusterIPs ?? spec.clusterIP,
          "may not change once set",
        ),
      );
    }
  }
  return out;
}

function validateCrd(o: JsonObject): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = isObject(o.spec) ? o.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  if (!spec.group) out.push(required("spec.group"));
  if (!names.plural) out.push(required("spec.names.plural"));
  if (!names.kind) out.push(required("spec.names.kind"));
  const name = (o.metadata as JsonObject | undefined)?.name;
  if (names.plural && spec.group && name !== `${names.plural}.${spec.group}`) {
    out.push(invalidValue("metadata.name", name, `must be spec.names.plural+"."+spec.group`));
  }
  if (!["Namespaced", "Cluster"].includes(String(spec.scope))) {
    out.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${
        JSON.stringify(spec.scope)
      }: supported values: "Cluster", "Namespaced"`,
      field: "spec.scope",
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) out.push(required("spec.versions"));
  const storage = versions.filter((v) => isObject(v) && v.storage === true).length;
  if (versions.length > 0 && storage !== 1) {
    out.push(
      invalidValue(
        "spec.versions",
        versions.map((v) => isObject(v) ? v.name : v),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  return out;
}

/** Everything wrong with an object about to be stored (old is the live object on updates). */
export function validate(
  group: string,
  kind: string,
  o: JsonObject,
  old: JsonObject | undefined,
): StatusCause[] {
  const meta = isObject(o.metadata) ? o.metadata : {};
  const out = [...validateName(kind, meta.name), ...validateLabels(meta, "metadata")];
  switch (`${group}/${kind}`) {
    case "apps/Deployment":
    case "apps/StatefulSet":
    case "apps/DaemonSet":
    case "apps/ReplicaSet":
      out.push(...validateWorkload(o, old));
      break;
    case "/Service":
      out.push(...validateService(o, old));
      break;
    case "/Pod":
      out.push(...validateContainers(isObject(o.spec) ? o.spec : {}, "spec"));
      break;
    case "apiextensions.k8s.io/CustomResourceDefinition":
      out.push(...validateCrd(o));
      break;
  }
  return out;
}
