// The wire shape of Kubernetes objects, kept close to JSON: typed where skiff reads a field,
// `unknown` everywhere else, so nothing pretends to know a schema it has not checked.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: "Apply" | "Update";
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

/** Any Kubernetes object: the fields every kind shares, the rest left as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** apiVersion split into its group ("" for the core group) and version. */
export interface GroupVersion {
  group: string;
  version: string;
}

export interface GroupVersionKind extends GroupVersion {
  kind: string;
}

/** Names one object independent of its API version, as the inventory and prune see it. */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return { group: "", version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function formatApiVersion(gv: GroupVersion): string {
  return gv.group === "" ? gv.version : `${gv.group}/${gv.version}`;
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    group: parseApiVersion(obj.apiVersion).group,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? "",
    name: obj.metadata.name ?? "",
  };
}

/** "Deployment/apps/web" or "Namespace/apps": how kubectl and Flux name an object to people. */
export function describeRef(ref: ObjectRef): string {
  const kind = ref.group === "" ? ref.kind : `${ref.kind}.${ref.group}`;
  return ref.namespace ? `${kind}/${ref.namespace}/${ref.name}` : `${kind}/${ref.name}`;
}

export function describeObject(obj: KubeObject): string {
  return describeRef(refOf(obj));
}

/** A key that identifies an object across API versions. */
export function refKey(ref: ObjectRef): string {
  return `${ref.namespace}_${ref.name}_${ref.group}_${ref.kind}`;
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.apiVersion === "string" && typeof v.kind === "string" &&
    typeof v.metadata === "object" && v.metadata !== null;
}

/** A deep copy through JSON, which is what every Kubernetes object is. */
export function cloneObject<T>(value: T): T {
  return structuredClone(value);
}

/** Names one object at one API version: what a request needs to reach it. */
export interface ObjectId {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function idOf(obj: KubeObject): ObjectId {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace || undefined,
    name: obj.metadata.name ?? "",
  };
}

export function describeId(id: ObjectId): string {
  const { group } = parseApiVersion(id.apiVersion);
  return describeRef({ group, kind: id.kind, namespace: id.namespace ?? "", name: id.name });
}
