// Reading kubeconfig files and merging several of them the way kubectl does with KUBECONFIG:
// the first file that defines a cluster, user or context name wins, the first current-context
// wins, and relative paths are resolved against the directory of the file that holds them.
import { parseOne, readTextStrict, YamlError } from "../../yaml/mod.ts";
import { KubeConfigError } from "../errors.ts";
import type { ExecConfig } from "./exec.ts";

export interface KubeconfigCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "tls-server-name"?: string;
  "proxy-url"?: string;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  "client-certificate"?: string;
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  as?: string;
  "as-groups"?: string[];
  "as-uid"?: string;
  "auth-provider"?: unknown;
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** A named entry, remembering which file it came from for messages and relative paths. */
export interface Named<T> {
  name: string;
  value: T;
  file: string;
}

export interface MergedKubeconfig {
  files: string[];
  currentContext?: string;
  clusters: Map<string, Named<KubeconfigCluster>>;
  users: Map<string, Named<KubeconfigUser>>;
  contexts: Map<string, Named<KubeconfigContext>>;
}

const PATH_FIELDS_CLUSTER = ["certificate-authority"] as const;
const PATH_FIELDS_USER = ["tokenFile", "client-certificate", "client-key"] as const;

export function emptyKubeconfig(): MergedKubeconfig {
  return { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
}

/** Parses one file's text and merges it into `into` (entries already there win). */
export function mergeKubeconfigText(into: MergedKubeconfig, file: string, text: string): void {
  let doc: unknown;
  try {
    doc = parseOne(text, { file });
  } catch (e) {
    if (e instanceof YamlError) throw new KubeConfigError(file, "", e.reason);
    throw e;
  }
  into.files.push(file);
  if (doc === null || doc === undefined) return; // an empty file is allowed, as in kubectl
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new KubeConfigError(file, "", "expected a mapping (kind: Config)");
  }
  const root = doc as Record<string, unknown>;
  const dir = dirname(file);
  if (typeof root["current-context"] === "string" && root["current-context"] !== "") {
    into.currentContext ??= root["current-context"];
  }
  for (const entry of namedList(file, root, "clusters", "cluster")) {
    const cluster = entry.value as KubeconfigCluster;
    for (const f of PATH_FIELDS_CLUSTER) if (cluster[f]) cluster[f] = resolvePath(dir, cluster[f]);
    if (!into.clusters.has(entry.name)) into.clusters.set(entry.name, { ...entry, value: cluster });
  }
  for (const entry of namedList(file, root, "users", "user")) {
    const user = entry.value as KubeconfigUser;
    for (const f of PATH_FIELDS_USER) if (user[f]) user[f] = resolvePath(dir, user[f]);
    // kubectl resolves a relative exec command only when it names a path, not a $PATH lookup.
    if (user.exec?.command?.includes("/")) user.exec.command = resolvePath(dir, user.exec.command);
    if (!into.users.has(entry.name)) into.users.set(entry.name, { ...entry, value: user });
  }
  for (const entry of namedList(file, root, "contexts", "context")) {
    if (!into.contexts.has(entry.name)) {
      into.contexts.set(entry.name, { ...entry, value: entry.value as KubeconfigContext });
    }
  }
}

function namedList(
  file: string,
  root: Record<string, unknown>,
  listField: string,
  valueField: string,
): Named<Record<string, unknown>>[] {
  const list = root[listField];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new KubeConfigError(file, listField, "expected a list");
  return list.map((item, i) => {
    const where = `${listField}[${i}]`;
    if (typeof item !== "object" || item === null) {
      throw new KubeConfigError(file, where, "expected a mapping with name and " + valueField);
    }
    const { name, [valueField]: value } = item as Record<string, unknown>;
    if (typeof name !== "string" || name === "") {
      throw new KubeConfigError(file, `${where}.name`, "expected a non-empty string");
    }
    if (value !== undefined && (typeof value !== "object" || value === null)) {
      throw new KubeConfigError(file, `${where}.${valueField}`, "expected a mapping");
    }
    return { name, value: { ...(value as Record<string, unknown> ?? {}) }, file };
  });
}

/**
 * Reads and merges kubeconfig files. Missing files in a KUBECONFIG list are skipped, as kubectl
 * does; `required` files (an explicit --kubeconfig) must exist.
 */
export async function readKubeconfigFiles(
  paths: string[],
  required: boolean,
): Promise<MergedKubeconfig> {
  const merged = emptyKubeconfig();
  for (const path of paths) {
    let text: string;
    try {
      text = await readTextStrict(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound && !required) continue;
      if (e instanceof Deno.errors.NotFound) {
        throw new KubeConfigError(path, "", "the kubeconfig file does not exist");
      }
      if (e instanceof YamlError) throw new KubeConfigError(path, "", e.reason);
      throw new KubeConfigError(path, "", `cannot read it: ${(e as Error).message}`);
    }
    mergeKubeconfigText(merged, path, text);
  }
  return merged;
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

function resolvePath(dir: string, path: string): string {
  if (path.startsWith("/")) return path;
  if (path.startsWith("~/")) return `${Deno.env.get("HOME") ?? ""}${path.slice(1)}`;
  return `${dir}/${path}`;
}
