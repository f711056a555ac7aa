// The resource operations behind the HTTP verbs, independent of HTTP so the simulated
// controllers use the same path: get, list, create, update, patch (merge, JSON, strategic,
// apply), delete with finalizers/propagation/preconditions, deletecollection, dry-run.
import { applyDefaults } from "./admission/defaults.ts";
import { applySchemaDefaults, validateAgainstSchema } from "./admission/crd_schema.ts";
import { foldSecretStringData } from "./admission/secret_string_data.ts";
import { dropUnknownFields, type FieldValidation } from "./admission/unknown_fields.ts";
import { validate } from "./admission/validation.ts";
import { type Catalog, type ResourceType, storageKey } from "./catalog.ts";
import { finalizersOf, labelsOf, meta, nameOf, timestamp } from "./objects.ts";
import { applyJsonPatch, JsonPatchError } from "./patch/json_patch.ts";
import { applyMergePatch } from "./patch/merge_patch.ts";
import { applyStrategicPatch, StrategicPatchError } from "./patch/strategic.ts";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import { recordApply, recordUpdate, type WriteContext } from "./ssa/fieldmanager.ts";
import { crdType, definitionType, type TypeNode } from "./ssa/schema.ts";
import {
  deepEqual,
  isObject,
  type Json,
  type JsonObject,
  SchemaMismatchError,
} from "./ssa/typed.ts";
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
} from "./status.ts";
import type { ObjectStore } from "./store.ts";

export interface WriteOptions {
  dryRun?: boolean;
  /** How undeclared fields are reported (the real server's default is Warn). */
  fieldValidation?: FieldValidation;
  /** Warnings for the response's Warning headers. */
  warnings?: string[];
  /** The fieldManager query parameter, or the manager derived from the User-Agent. */
  fieldManager: string;
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
}

export interface ListResult {
  items: JsonObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export type PatchType = "merge" | "json" | "strategic" | "apply";

export interface DeleteResult {
  /** The object as it is now: gone (deleted) or still there with a deletionTimestamp. */
  object: JsonObject;
  deleted: boolean;
}

export class Api {
  #types = new Map<ResourceType, TypeNode>();
  #ipCounter = 10;
  #nodePort = 30000;
  #nameCounter = 0;

  constructor(
    readonly store: ObjectStore,
    readonly catalog: Catalog,
    readonly onWrite: () => void,
  ) {}

  typeOf(rt: ResourceType): TypeNode {
    let t = this.#types.get(rt);
    if (!t) {
      t = rt.definition ? definitionType(rt.definition) : crdType(rt.crdSchema);
      this.#types.set(rt, t);
    }
    return t;
  }

  #key(rt: ResourceType): string {
    return storageKey(rt.group, rt.resource);
  }

  #ns(rt: ResourceType, namespace: string | undefined): string {
    return rt.namespaced ? namespace ?? "" : "";
  }

  /** The stored object presented at the requested version (versions share one storage). */
  #present(rt: ResourceType, o: JsonObject): JsonObject {
    if (o.apiVersion === rt.apiVersion) return o;
    return { ...o, apiVersion: rt.apiVersion };
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): JsonObject {
    const o = this.store.get(this.#key(rt), this.#ns(rt, namespace), name);
    if (!o) throw notFound(rt.group, rt.resource, name);
    return this.#present(rt, o);
  }

  tryGet(rt: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const o = this.store.get(this.#key(rt), this.#ns(rt, namespace), name);
    return o ? this.#present(rt, o) : undefined;
  }

  list(rt: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const labelSel = parseLabelSelector(opts.labelSelector ?? null);
    const fieldSel = parseFieldSelector(opts.fieldSelector ?? null);
    let all = this.store.list(this.#key(rt), rt.namespaced ? namespace : undefined);
    let rvAtStart = String(this.store.resourceVersion);
    let start = 0;
    if (opts.continueToken) {
      const token = decodeContinue(opts.continueToken);
      rvAtStart = token.rv;
      // Continue after the last key served, like etcd's key-ordered pagination.
      start = all.findIndex((o) => `${meta(o).namespace ?? ""}/${nameOf(o)}` > token.start);
      if (start < 0) start = all.length;
    }
    all = all.slice(start);
    const items: JsonObject[] = [];
    let i = 0;
    for (; i < all.length; i++) {
      const o = all[i];
      if (!labelSel(labelsOf(o)) || !fieldSel(o)) continue;
      if (opts.limit && items.length >= opts.limit) break;
      items.push(this.#present(rt, o));
    }
    const result: ListResult = { items, resourceVersion: rvAtStart };
    if (opts.limit && i < all.length) {
      const last = items[items.length - 1];
      const lastKey = `${meta(last).namespace ?? ""}/${nameOf(last)}`;
      result.continueToken = encodeContinue({ rv: rvAtStart, start: lastKey });
      let remaining = 0;
      for (; i < all.length; i++) {
        if (labelSel(labelsOf(all[i])) && fieldSel(all[i])) remaining++;
      }
      if (!opts.labelSelector && !opts.fieldSelector) result.remainingItemCount = remaining;
      if (remaining === 0) delete result.continueToken;
    }
    return result;
  }

  #checkNamespace(rt: ResourceType, namespace: string | undefined, creating: boolean): void {
    if (!rt.namespaced) return;
    if (!namespace) throw badRequest("the server could not find the requested resource");
    const ns = this.store.get(storageKey("", "namespaces"), "", namespace);
    if (!ns) throw notFound("", "namespaces", namespace);
    if (creating && meta(ns).deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `${rt.resource} "${"new"}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  #checkKind(rt: ResourceType, body: JsonObject, namespace: string | undefined): void {
    if (body.kind !== undefined && body.kind !== rt.kind) {
      throw badRequest(
        `the kind of the provided object (${body.kind}) does not match the kind of the request (${rt.kind})`,
      );
    }
    const bodyNs = meta(body).namespace;
    if (rt.namespaced && bodyNs && namespace && bodyNs !== namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
  }

  #writeContext(rt: ResourceType, opts: WriteOptions): WriteContext {
    return {
      manager: opts.fieldManager,
      apiVersion: rt.apiVersion,
      subresource: opts.subresource,
      hasStatus: "status" in rt.subresources,
      now: timestamp(),
    };
  }

  #admit(rt: ResourceType, o: JsonObject, old: JsonObject | undefined): void {
    // Runs before any Update's managedFields are recorded, as the real server's decoding does.
    if (rt.group === "" && rt.kind === "Secret") foldSecretStringData(o);
    applyDefaults(rt.kind, rt.group, o, {
      allocateClusterIP: () => this.#allocateIP(),
      allocateNodePort: () => this.#nodePort++,
    });
    if (rt.crdSchema) applySchemaDefaults(o, rt.crdSchema);
    const causes = validate(rt.group, rt.kind, o, old);
    if (rt.crdSchema) causes.push(...validateAgainstSchema(o, rt.crdSchema));
    if (causes.length > 0) throw invalid(rt.group, rt.kind, nameOf(o), causes);
  }

  /** Drops undeclared fields, failing or warning as fieldValidation asks. */
  #checkFields(rt: ResourceType, o: JsonObject, opts: WriteOptions, applying: boolean): void {
    const unknown = dropUnknownFields(o, this.typeOf(rt));
    if (unknown.length === 0) return;
    const mode = opts.fieldValidation ?? "Warn";
    if (mode === "Strict") {
      if (applying) {
        throw badRequest(
          `failed to create typed patch object (${
            meta(o).namespace ? `${meta(o).namespace}/` : ""
          }${nameOf(o)}; ${rt.apiVersion}, Kind=${rt.kind}): .${
            unknown[0]
          }: field not declared in schema`,
        );
      }
      const list = unknown.map((f) => `unknown field "${f}"`).join(", ");
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${list}`,
      );
    }
    if (mode === "Warn") opts.warnings?.push(...unknown.map((f) => `unknown field "${f}"`));
  }

  /** Optimistic concurrency: a write naming a resourceVersion must name the live one. */
  #checkResourceVersion(
    rt: ResourceType,
    name: string,
    rv: unknown,
    live: JsonObject,
  ): void {
    if (!rv || rv === meta(live).resourceVersion) return;
    throw conflict(
      rt.group,
      rt.resource,
      name,
      "the object has been modified; please apply your changes to the latest version and try again",
    );
  }

  #allocateIP(): string {
    const n = this.#ipCounter++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  create(
    rt: ResourceType,
    namespace: string | undefined,
    body: unknown,
    opts: WriteOptions,
    keepManagedFields = false,
  ): JsonObject {
    if (!isObject(body)) throw badRequest("the body of the request was not a JSON object");
    const o = structuredClone(body) as JsonObject;
    this.#checkKind(rt, o, namespace);
    if (!keepManagedFields) this.#checkFields(rt, o, opts, false);
    const m = meta(o);
    if (!m.name && m.generateName) m.name = `${m.generateName}${this.#suffix()}`;
    if (rt.namespaced) m.namespace = namespace ?? m.namespace ?? "";
    else delete m.namespace;
    this.#checkNamespace(rt, String(m.namespace ?? ""), true);
    const name = nameOf(o);
    if (name && this.store.get(this.#key(rt), this.#ns(rt, String(m.namespace ?? "")), name)) {
      throw alreadyExists(rt.group, rt.resource, name);
    }
    o.apiVersion = rt.apiVersion;
    o.kind = rt.kind;
    if ("status" in rt.subresources && rt.kind !== "Namespace") delete o.status;
    for (
      const k of [
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "deletionTimestamp",
        "generation",
        "selfLink",
      ]
    ) delete m[k];
    if (!keepManagedFields) delete m.managedFields;
    this.#admit(rt, o, undefined);
    if (rt.kind === "Namespace" && rt.group === "") o.status = { phase: "Active" };
    const stamped = keepManagedFields
      ? o
      : recordUpdate(undefined, o, this.typeOf(rt), this.#writeContext(rt, opts));
    const sm = meta(stamped);
    sm.uid = crypto.randomUUID();
    sm.creationTimestamp = timestamp();
    if (hasGeneration(rt)) sm.generation = 1;
    sm.resourceVersion = opts.dryRun ? "" : String(this.store.nextResourceVersion());
    const ordered = orderTopLevel(stamped);
    if (!opts.dryRun) {
      this.store.put(this.#key(rt), ordered, "ADDED");
      this.onWrite();
    }
    return ordered;
  }

  #suffix(): string {
    const alphabet = "bcdfghjklmnpqrstvwxz2456789";
    let n = ++this.#nameCounter * 7919 + Date.now();
    let s = "";
    for (let i = 0; i < 5; i++) {
      s += alphabet[n % alphabet.length];
      n = Math.floor(n / alphabet.length);
    }
    return s;
  }

  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions,
  ): JsonObject {
    if (!isObject(body)) throw badRequest("the body of the request was not a JSON object");
    const live = this.get(rt, namespace, name);
    const o = structuredClone(body) as JsonObject;
    this.#checkKind(rt, o, namespace);
    this.#checkFields(rt, o, opts, false);
    const bodyName = meta(o).name;
    if (bodyName && bodyName !== name) {
      throw badRequest(
        `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
      );
    }
    const rv = meta(o).resourceVersion;
    this.#checkResourceVersion(rt, name, rv, live);
    if (!rv && rt.kind === "Lease") {
      throw invalid(rt.group, rt.kind, name, [{
        reason: "FieldValueRequired",
        message: "Required value: must be specified for an update",
        field: "metadata.resourceVersion",
      }]);
    }
    return this.#store(rt, live, o, opts, false);
  }

  /** Applies the fields that cannot change, bookkeeping, admission, and stores the new object. */
  #store(
    rt: ResourceType,
    live: JsonObject,
    proposed: JsonObject,
    opts: WriteOptions,
    applied: boolean,
  ): JsonObject {
    let o = structuredClone(proposed);
    const lm = meta(live);
    const m = meta(o);
    for (
      const k of [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "name",
        "namespace",
      ]
    ) {
      if (lm[k] !== undefined) m[k] = lm[k];
      else delete m[k];
    }
    o.apiVersion = rt.apiVersion;
    o.kind = rt.kind;
    const hasStatus = "status" in rt.subresources;
    if (opts.subresource === "status") {
      // Writes to /status change only the status (and metadata the status strategy keeps).
      const next: JsonObject = { ...structuredClone(live), status: o.status };
      if (o.status === undefined) delete next.status;
      next.metadata = { ...meta(structuredClone(live)), managedFields: m.managedFields ?? null };
      if (m.managedFields === undefined) delete (next.metadata as JsonObject).managedFields;
      o = next;
    } else if (hasStatus) {
      if (live.status !== undefined) o.status = structuredClone(live.status);
      else delete o.status;
    }
    if (!opts.subresource) this.#admit(rt, o, live);
    else {
      const causes = validate(rt.group, rt.kind, o, live);
      if (rt.crdSchema) causes.push(...validateAgainstSchema(o, rt.crdSchema));
      if (causes.length > 0) throw invalid(rt.group, rt.kind, nameOf(o), causes);
    }
    if (!applied) {
      o = recordUpdate(live, o, this.typeOf(rt), this.#writeContext(rt, opts));
    }
    const om = meta(o);
    // generation counts changes to anything but metadata and status.
    const specChanged = Object.keys({ ...live, ...o }).some((k) =>
      k !== "metadata" && k !== "status" && k !== "apiVersion" && k !== "kind" &&
      !deepEqual(live[k], o[k])
    );
    if (hasGeneration(rt)) om.generation = Number(lm.generation ?? 1) + (specChanged ? 1 : 0);
    om.resourceVersion = lm.resourceVersion;
    o = orderTopLevel(o);
    if (deepEqual(o, live)) return live;
    if (lm.deletionTimestamp && finalizersOf(o).length === 0) {
      // The last finalizer is gone: the object goes away now.
      if (!opts.dryRun) {
        meta(o).resourceVersion = String(this.store.nextResourceVersion());
        this.store.remove(this.#key(rt), o);
        this.onWrite();
      }
      return o;
    }
    if (lm.deletionTimestamp) {
      const added = finalizersOf(o).filter((f) => !finalizersOf(live).includes(f));
      if (added.length > 0) {
        throw invalid(rt.group, rt.kind, nameOf(o), [{
          reason: "FieldValueForbidden",
          message:
            `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${
              JSON.stringify(added)
            }`,
          field: "metadata.finalizers",
        }]);
      }
    }
    if (opts.dryRun) return o;
    om.resourceVersion = String(this.store.nextResourceVersion());
    this.store.put(this.#key(rt), o, "MODIFIED");
    this.onWrite();
    return o;
  }

  patch(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    opts: WriteOptions,
  ): { object: JsonObject; created: boolean } {
    if (type === "apply") return this.#apply(rt, namespace, name, body, opts);
    const live = this.get(rt, namespace, name);
    let patched: Json;
    try {
      if (type === "merge") patched = applyMergePatch(structuredClone(live), body as Json);
      else if (type === "json") patched = applyJsonPatch(live, body);
      else {
        if (rt.crdName) {
          throw new ApiError(
            415,
            "UnsupportedMediaType",
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        patched = applyStrategicPatch(structuredClone(live), body, rt.apiVersion, rt.kind);
      }
    } catch (e) {
      if (e instanceof JsonPatchError) throw new ApiError(422, "Invalid", e.message);
      if (e instanceof StrategicPatchError) throw badRequest(e.message);
      throw e;
    }
    if (!isObject(patched)) throw badRequest("the patch did not produce an object");
    this.#checkFields(rt, patched, opts, false);
    this.#checkResourceVersion(rt, name, meta(patched).resourceVersion, live);
    return { object: this.#store(rt, live, patched, opts, false), created: false };
  }

  #apply(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions,
  ): { object: JsonObject; created: boolean } {
    if (!isObject(body)) {
      throw badRequest("the body of an apply patch must be a YAML or JSON object");
    }
    if (!opts.fieldManager) {
      throw invalid("meta.k8s.io", "PatchOptions", "", [{
        reason: "FieldValueRequired",
        message: "Required value: is required for apply patch",
        field: "fieldManager",
      }]);
    }
    const m = isObject(body.metadata) ? body.metadata : {};
    if (m.managedFields !== undefined && m.managedFields !== null) {
      throw badRequest("metadata.managedFields must be nil");
    }
    if (body.apiVersion !== rt.apiVersion || body.kind !== rt.kind) {
      throw badRequest(
        `the apiVersion and kind of the applied object (${body.apiVersion}, ${body.kind}) must match the request (${rt.apiVersion}, ${rt.kind})`,
      );
    }
    if (m.name !== undefined && m.name !== name) {
      throw badRequest(
        `the name of the object (${m.name}) does not match the name on the URL (${name})`,
      );
    }
    const ctx = this.#writeContext(rt, opts);
    const live = this.tryGet(rt, namespace, name);
    const t = this.typeOf(rt);
    const config = structuredClone(body) as JsonObject;
    this.#checkFields(rt, config, opts, true);
    if (!live) {
      if (opts.subresource) throw notFound(rt.group, rt.resource, name);
      let merged: JsonObject;
      try {
        merged = recordApply(undefined, config, t, ctx, { force: !!opts.force });
      } catch (e) {
        throw schemaError(rt, name, e);
      }
      meta(merged).name = name;
      return { object: this.create(rt, namespace, merged, opts, true), created: true };
    }
    this.#checkResourceVersion(rt, name, m.resourceVersion, live);
    let merged: JsonObject;
    try {
      merged = recordApply(live, config, t, ctx, { force: !!opts.force });
    } catch (e) {
      throw schemaError(rt, name, e);
    }
    return { object: this.#store(rt, live, merged, opts, true), created: false };
  }

  delete(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions,
  ): DeleteResult {
    const live = this.get(rt, namespace, name);
    const lm = meta(live);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== lm.uid) {
      throw conflict(
        rt.group,
        rt.resource,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${lm.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== lm.resourceVersion) {
      throw conflict(
        rt.group,
        rt.resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${lm.resourceVersion}`,
      );
    }
    const finalizers = finalizersOf(live);
    const policy = opts.propagationPolicy;
    const extra = policy === "Foreground"
      ? "foregroundDeletion"
      : policy === "Orphan"
      ? "orphan"
      : undefined;
    const isNamespace = rt.group === "" && rt.kind === "Namespace";
    if (finalizers.length > 0 || extra || isNamespace) {
      if (lm.deletionTimestamp) {
        return { object: live, deleted: false };
      }
      const o = structuredClone(live);
      const m = meta(o);
      m.deletionTimestamp = timestamp();
      m.deletionGracePeriodSeconds = 0;
      if (extra && !finalizers.includes(extra)) m.finalizers = [...finalizers, extra];
      if (isNamespace) o.status = { ...(o.status as JsonObject ?? {}), phase: "Terminating" };
      if (opts.dryRun) return { object: o, deleted: false };
      m.resourceVersion = String(this.store.nextResourceVersion());
      this.store.put(this.#key(rt), o, "MODIFIED");
      this.onWrite();
      return { object: o, deleted: false };
    }
    if (opts.dryRun) return { object: live, deleted: true };
    const gone = structuredClone(live);
    meta(gone).resourceVersion = String(this.store.nextResourceVersion());
    this.store.remove(this.#key(rt), gone);
    this.onWrite();
    return { object: gone, deleted: true };
  }

  deleteCollection(
    rt: ResourceType,
    namespace: string | undefined,
    list: ListOptions,
    opts: DeleteOptions,
  ): JsonObject[] {
    const { items } = this.list(rt, namespace, {
      ...list,
      limit: undefined,
      continueToken: undefined,
    });
    return items.map((o) => this.delete(rt, namespace, nameOf(o), opts).object);
  }

  /** The authorization decision helpers use this to say which verb was refused. */
  forbid(
    user: string,
    verb: string,
    rt: ResourceType,
    namespace?: string,
    name?: string,
  ): ApiError {
    return forbidden(user, verb, rt.group, rt.resource, namespace, name);
  }
}

function schemaError(rt: ResourceType, name: string, e: unknown): unknown {
  if (e instanceof SchemaMismatchError) {
    return invalid(rt.group, rt.kind, name, [{
      reason: "FieldValueInvalid",
      message: e.message,
      field: e.path,
    }]);
  }
  return e;
}

/** Only kinds whose strategy tracks spec changes have metadata.generation (and all custom resources). */
const NO_GENERATION = new Set([
  "Namespace",
  "Service",
  "Node",
  "PersistentVolume",
  "PersistentVolumeClaim",
]);
function hasGeneration(rt: ResourceType): boolean {
  if (rt.crdName) return true;
  return "status" in rt.subresources && !(rt.group === "" && NO_GENERATION.has(rt.kind));
}

const TOP_ORDER = ["apiVersion", "kind", "metadata", "spec"];

/** Keeps apiVersion, kind, metadata, spec first and status last, as the real server prints them. */
function orderTopLevel(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of TOP_ORDER) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out) && k !== "status") out[k] = o[k];
  if ("status" in o) out.status = o.status;
  return out;
}

function encodeContinue(t: { rv: string; start: string }): string {
  return btoa(JSON.stringify(t));
}

function decodeContinue(s: string): { rv: string; start: string } {
  try {
    const t = JSON.parse(atob(s)) as { rv: string; start: string };
    if (typeof t.rv === "string" && typeof t.start === "string") return t;
  } catch {
    // fall through
  }
  throw badRequest("continue key is not valid: illegal base64 data or JSON");
}
