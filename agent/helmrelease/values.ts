// The values a HelmRelease installs with, composed in helm-controller's order: each valuesFrom
// entry (ConfigMap or Secret key, merged at the root or set at targetPath) in order, then
// spec.values merged over all of them. The digest of the result is what decides whether the
// values changed since the release was made.
import type { HelmRelease } from "../config/mod.ts";
import { KubeApiError } from "../../lib/kube/mod.ts";
import { parseSetInto, parseValuesYaml, type Table } from "../../lib/helm/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import type { ReconcileEnv } from "../reconcile/types.ts";

/** A valuesFrom reference that is not optional cannot be read (Flux: InitFailed). */
export class ValuesReferenceError extends Error {
  override readonly name = "ValuesReferenceError";
  constructor(readonly reference: string, readonly detail: string) {
    super(`valuesFrom ${reference}: ${detail}`);
  }
}

function isTable(v: unknown): v is Table {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Flux's MergeMaps: maps merge key by key, anything else from `over` replaces. */
export function mergeMaps(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isTable(b) && isTable(v) ? mergeMaps(b, v) : v;
  }
  return out;
}

async function readData(
  env: ReconcileEnv,
  kind: "ConfigMap" | "Secret",
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  if (kind === "Secret") {
    try {
      return await readSecretData(
        env.client,
        namespace,
        name,
        "spec.valuesFrom",
        env.logger.secrets,
      );
    } catch (e) {
      if (e instanceof SecretNotFoundError) return undefined;
      throw e;
    }
  }
  try {
    const cm = await env.client.get("v1", "ConfigMap", name, namespace);
    return (cm.data ?? {}) as Record<string, string>;
  } catch (e) {
    if (e instanceof KubeApiError && e.isNotFound) return undefined;
    throw e;
  }
}

export async function composeValues(hr: HelmRelease, env: ReconcileEnv): Promise<Table> {
  let result: Table = {};
  for (const ref of hr.spec.valuesFrom ?? []) {
    const where = `${ref.kind} ${hr.metadata.namespace}/${ref.name}`;
    const data = await readData(env, ref.kind, hr.metadata.namespace, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new ValuesReferenceError(where, "not found");
    }
    const text = data[ref.valuesKey];
    if (text === undefined) {
      if (ref.optional) continue;
      throw new ValuesReferenceError(where, `key "${ref.valuesKey}" not found`);
    }
    if (ref.targetPath) {
      // Flux sets the raw string at the path, with Helm's --set-string path syntax.
      const escaped = text.replace(/\\/g, "\\\\").replace(/,/g, "\\,");
      result = parseSetInto(`${ref.targetPath}=${escaped}`, result, "string");
      continue;
    }
    let parsed: Table;
    try {
      parsed = parseValuesYaml(text, `${where} key ${ref.valuesKey}`);
    } catch (e) {
      throw new ValuesReferenceError(where, `key "${ref.valuesKey}": ${(e as Error).message}`);
    }
    result = mergeMaps(result, parsed);
  }
  return mergeMaps(result, (hr.spec.values ?? {}) as Table);
}

/** Canonical JSON (sorted keys) of the values, hashed: Flux's config digest. */
export async function valuesDigest(values: Table): Promise<string> {
  const canonical = (v: unknown): unknown => {
    if (typeof v === "bigint") return Number(v);
    if (Array.isArray(v)) return v.map(canonical);
    if (isTable(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
    }
    return v;
  };
  const bytes = new TextEncoder().encode(JSON.stringify(canonical(values)));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sha256:${[...hash].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
