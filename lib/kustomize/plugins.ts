// The `generators:` and `transformers:` fields: configurations of kustomize's built-in plugins
// (apiVersion: builtin), given as files, as directories whose kustomization lists them, or
// inline. Exec and container plugins are never run.
import { basename } from "node:path";
import type { Accumulation, Builder } from "./build.ts";
import { KustomizeError } from "./errors.ts";
import { visitFieldSpec } from "./fieldspec.ts";
import { generate } from "./generators/configmap.ts";
import { applyImages } from "./images.ts";
import type {
  FieldSpec,
  GeneratorArgs,
  ImageEntry,
  LoadedKustomization,
  PatchEntry,
  ReplicaEntry,
  Selector,
} from "./kustomization.ts";
import { loadKustomization, scalarString as scalarText } from "./kustomization.ts";
import { applyMapEntries } from "./labels.ts";
import { applyPrefixSuffix } from "./name_prefix.ts";
import { applyNamespace } from "./namespace.ts";
import { applyPatches, applyPatchesJson6902, applyPatchesStrategicMerge } from "./patches/apply.ts";
import { applyReplacements, loadReplacements } from "./replacements.ts";
import { applyReplicas } from "./replicas.ts";
import { isMap, type KubeObject, type Resource } from "./resource.ts";
import { BUILTIN_SCHEMA } from "./schema.ts";
import { selectResources } from "./selector.ts";
import { parseResourceYaml } from "./yaml_compat.ts";

async function loadConfigs(
  builder: Builder,
  loaded: LoadedKustomization,
  field: "generators" | "transformers",
): Promise<{ obj: KubeObject; field: string }[]> {
  const { k, display: file, dir } = loaded;
  const out: { obj: KubeObject; field: string }[] = [];
  const entries = k[field];
  for (let i = 0; i < entries.length; i++) {
    const f = `${field}[${i}]`;
    const entry = entries[i];
    if (entry.includes("\n")) {
      for (const d of parseResourceYaml(entry, file, builder.limits.maxAliases)) {
        if (isMap(d.value)) out.push({ obj: d.value, field: f });
      }
      continue;
    }
    const abs = builder.loader.resolveRef(dir, entry, file, f);
    const kind = builder.loader.kindOf(abs, file, f);
    if (kind === "missing") throw new KustomizeError(file, f, `"${entry}" does not exist`);
    if (kind === "dir") {
      const kfile = builder.requireKustomization(abs, file, f);
      const sub = await builder.target(
        await loadKustomization(builder.loader, kfile, abs),
        BUILTIN_SCHEMA,
        1,
      );
      for (const r of sub.resources.list) out.push({ obj: r.obj, field: f });
    } else {
      builder.loader.checkFileScope(dir, abs, file, f);
      for (const r of await builder.loadResourceFile(abs, file, f)) {
        out.push({ obj: r.obj, field: f });
      }
    }
  }
  return out;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const fieldSpecs = (v: unknown): FieldSpec[] =>
  Array.isArray(v)
    ? v.filter(isMap).map((m) => ({ ...(m as unknown as FieldSpec), create: m.create === true }))
    : [];
const stringMap = (v: unknown): Record<string, string> | undefined =>
  isMap(v) ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, scalarText(b)])) : undefined;

export async function runPluginConfigs(
  builder: Builder,
  loaded: LoadedKustomization,
  acc: Accumulation,
  field: "generators" | "transformers",
) {
  const { display: file, dir } = loaded;
  const res = acc.resources;
  for (const { obj, field: f } of await loadConfigs(builder, loaded, field)) {
    const kind = str(obj.kind) ?? "";
    const meta = isMap(obj.metadata) ? obj.metadata : {};
    const ctx = { loader: builder.loader, dir, file, schema: BUILTIN_SCHEMA };
    switch (kind) {
      case "ConfigMapGenerator":
      case "SecretGenerator": {
        const args: GeneratorArgs = {
          ...(obj as GeneratorArgs),
          name: str(meta.name),
          namespace: str(meta.namespace),
        };
        const r = await generate(
          kind === "ConfigMapGenerator" ? "ConfigMap" : "Secret",
          args,
          undefined,
          undefined,
          builder.loader,
          dir,
          file,
          f,
        );
        res.absorb(r, file, f);
        break;
      }
      case "PrefixSuffixTransformer":
      case "PrefixTransformer":
      case "SuffixTransformer": {
        const specs = fieldSpecs(obj.fieldSpecs);
        if (str(obj.prefix)) applyPrefixSuffix(res, "prefix", str(obj.prefix)!, specs);
        if (str(obj.suffix)) applyPrefixSuffix(res, "suffix", str(obj.suffix)!, specs);
        break;
      }
      case "LabelTransformer":
        applyMapEntries(res, stringMap(obj.labels), fieldSpecs(obj.fieldSpecs));
        break;
      case "AnnotationsTransformer":
        applyMapEntries(res, stringMap(obj.annotations), fieldSpecs(obj.fieldSpecs));
        break;
      case "NamespaceTransformer":
        applyNamespace(res, str(meta.namespace) ?? "", fieldSpecs(obj.fieldSpecs));
        break;
      case "ImageTagTransformer":
        if (isMap(obj.imageTag)) {
          applyImages(res, [obj.imageTag as unknown as ImageEntry], fieldSpecs(obj.fieldSpecs));
        }
        break;
      case "ReplicaCountTransformer":
        if (isMap(obj.replica)) {
          applyReplicas(
            res,
            [obj.replica as unknown as ReplicaEntry],
            fieldSpecs(obj.fieldSpecs),
            file,
          );
        }
        break;
      case "PatchTransformer":
        await applyPatches(res, [obj as PatchEntry], ctx);
        break;
      case "PatchStrategicMergeTransformer": {
        const list = [
          ...(Array.isArray(obj.paths) ? obj.paths.map(String) : []),
          ...(typeof obj.patches === "string" ? [obj.patches] : []),
        ];
        await applyPatchesStrategicMerge(res, list, ctx);
        break;
      }
      case "PatchJson6902Transformer":
        await applyPatchesJson6902(res, [{
          target: obj.target as Selector,
          path: str(obj.path),
          patch: str(obj.jsonOp),
        }], ctx);
        break;
      case "ReplacementTransformer": {
        const list = Array.isArray(obj.replacements) ? obj.replacements.filter(isMap) : [];
        applyReplacements(res, await loadReplacements(list, builder.loader, dir, file), file);
        break;
      }
      case "ValueAddTransformer":
        valueAdd(
          res.list.map((r) => r),
          obj,
          basename(dir),
          file,
          f,
          (s) => selectResources(res, s),
        );
        break;
      default:
        throw new KustomizeError(
          file,
          f,
          `${kind || "(no kind)"} is not a built-in ${
            field === "generators" ? "generator" : "transformer"
          }: ` +
            "only kustomize's built-in plugins run here (no exec or container plugins)",
        );
    }
  }
}

interface ValueAddTarget {
  selector?: Selector;
  fieldPath?: string;
  filePathPosition?: number;
}

function valueAdd(
  all: Resource[],
  obj: KubeObject,
  dirName: string,
  file: string,
  field: string,
  select: (s: Selector) => Resource[],
) {
  const value = str(obj.value) ?? dirName;
  const targets = Array.isArray(obj.targets) ? obj.targets.filter(isMap) as ValueAddTarget[] : [];
  for (const t of targets) {
    if (!t.fieldPath) {
      throw new KustomizeError(file, field, "a ValueAddTransformer target needs a fieldPath");
    }
    const selected = t.selector ? select(t.selector) : all;
    for (const r of selected) {
      if (t.fieldPath === "metadata/namespace") {
        r.namespace = value;
        continue;
      }
      visitFieldSpec(r.obj, t.fieldPath, { create: true, createLeaf: () => "" }, (parent, key) => {
        const pos = t.filePathPosition ?? 0;
        const current = typeof parent[key] === "string" ? parent[key] as string : "";
        if (pos === 0 || current === "") {
          parent[key] = value;
          return;
        }
        const parts = current.split("/").filter((p) => p !== "");
        const at = Math.min(Math.max(pos - 1, 0), parts.length);
        parts.splice(at, 0, value);
        parent[key] = parts.join("/");
      });
    }
  }
}
