// configMapGenerator and secretGenerator: objects built from key/value sources, with the
// generator options (labels, annotations, immutable, hash suffix) and a behavior that decides how
// they meet an object of the same name from a base (create, merge, replace).
import { encodeBase64Lines } from "../base64.ts";
import { KustomizeError } from "../errors.ts";
import type { GeneratorArgs, GeneratorOptions } from "../kustomization.ts";
import type { Loader } from "../loader.ts";
import { type GeneratorBehavior, type KubeObject, Resource } from "../resource.ts";
import { collectPairs } from "./kv.ts";

/** The generator's own options merged with `generatorOptions` (the global ones win on conflict). */
export function mergeOptions(
  local: GeneratorOptions | undefined,
  global: GeneratorOptions | undefined,
): GeneratorOptions {
  const out: GeneratorOptions = { ...(local ?? {}) };
  if (!global) return out;
  out.labels = { ...(local?.labels ?? {}), ...(global.labels ?? {}) };
  out.annotations = { ...(local?.annotations ?? {}), ...(global.annotations ?? {}) };
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

function behaviorOf(args: GeneratorArgs, file: string, field: string): GeneratorBehavior {
  const b = args.behavior ?? "create";
  if (b === "" || b === "create" || b === "merge" || b === "replace") {
    return (b || "create") as GeneratorBehavior;
  }
  throw new KustomizeError(
    file,
    `${field}.behavior`,
    `unknown behavior "${b}": expected create, merge or replace`,
  );
}

export async function generate(
  kind: "ConfigMap" | "Secret",
  args: GeneratorArgs,
  globalOptions: GeneratorOptions | undefined,
  defaultNamespace: string | undefined,
  loader: Loader,
  dir: string,
  file: string,
  field: string,
): Promise<Resource> {
  if (typeof args.name !== "string" || args.name === "") {
    throw new KustomizeError(file, `${field}.name`, "a generator needs a name");
  }
  const pairs = await collectPairs(args, loader, dir, file, field);
  const metadata: Record<string, unknown> = { name: args.name };
  const namespace = args.namespace || defaultNamespace;
  if (namespace) metadata.namespace = namespace;
  const obj: KubeObject = { apiVersion: "v1", kind, metadata };
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const p of pairs) {
    if (kind === "Secret") {
      data[p.key] = encodeBase64Lines(
        typeof p.value === "string" ? new TextEncoder().encode(p.value) : p.value,
      );
    } else if (typeof p.value === "string") {
      data[p.key] = p.value;
    } else {
      binaryData[p.key] = encodeBase64Lines(p.value);
    }
  }
  if (Object.keys(data).length > 0) obj.data = data;
  if (Object.keys(binaryData).length > 0) obj.binaryData = binaryData;
  if (kind === "Secret") obj.type = args.type || "Opaque";
  const options = mergeOptions(args.options, globalOptions);
  if (options.labels && Object.keys(options.labels).length > 0) {
    metadata.labels = { ...options.labels };
  }
  if (options.annotations && Object.keys(options.annotations).length > 0) {
    metadata.annotations = { ...options.annotations };
  }
  if (options.immutable) obj.immutable = true;
  const r = new Resource(obj, file);
  r.behavior = behaviorOf(args, file, field);
  r.needsHashSuffix = !options.disableNameSuffixHash;
  r.generatedBy = { file, kind: `${kind}Generator` };
  return r;
}
