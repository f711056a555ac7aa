// The build of one kustomization directory, in kustomize's order: resources (files and nested
// kustomizations), configurations, components, generators, transformers (patches, namespace,
// prefix/suffix, labels, annotations, JSON patches, replicas, images, replacements, then the
// `transformers:` plugins), vars. At the top: hash suffixes, name references, vars, sorting.
import { parseOne, YamlError } from "../yaml/mod.ts";
import { applyBuildMetadata } from "./build_metadata.ts";
import { transformerConfigFromCrds } from "./crds.ts";
import { KustomizeError, KustomizeLimitError, withContext } from "./errors.ts";
import { FieldPathError } from "./fieldspec.ts";
import { generate } from "./generators/configmap.ts";
import { hashSuffix } from "./generators/hash.ts";
import {
  findKustomizationFile,
  type Kustomization,
  type LoadedKustomization,
  loadKustomization,
} from "./kustomization.ts";
import {
  DEFAULT_KUSTOMIZE_LIMITS,
  type FileUse,
  join,
  type KustomizeLimits,
  Loader,
  type LoadRestrictions,
} from "./loader.ts";
import type { Decryptor } from "../sops/mod.ts";
import { fixNameReferences } from "./name_reference.ts";
import { mergeKeysFromOpenApi } from "./openapi.ts";
import { runPluginConfigs } from "./plugins.ts";
import { ResMap } from "./resmap.ts";
import { isMap, type KubeObject, Resource } from "./resource.ts";
import { BUILTIN_SCHEMA, type MergeKeySchema } from "./schema.ts";
import { LEGACY_ORDER_FIRST, LEGACY_ORDER_LAST, legacySort } from "./sort.ts";
import {
  defaultTransformerConfig,
  mergeTransformerConfigs,
  type TransformerConfig,
  transformerConfigFromDocument,
} from "./transformer_config.ts";
import { runBuiltinTransformers } from "./transformers.ts";
import { declareVars, resolveVars, type VarDecl } from "./vars.ts";
import { parseResourceYaml, type ResourceDocument } from "./yaml_compat.ts";

export interface BuildOptions {
  /** "legacy" sorts as `kustomize build` does by default; "fifo" keeps accumulation order. */
  sort?: "legacy" | "fifo";
  limits?: Partial<KustomizeLimits>;
  /**
   * For a top directory without a kustomization file: the kustomization to use instead (Flux
   * generates one listing the manifests). Without it such a directory is an error.
   */
  generate?: (loader: Loader, dir: string) => Promise<Kustomization>;
  /**
   * Let env files take values of bare `KEY` lines from this process's environment, as kustomize
   * does. Off by default (such keys get ""): an untrusted repository could copy the agent's
   * secrets otherwise.
   */
  readsEnvironment?: boolean;
  /** Which files a kustomization may read; default "rootOnly" as `kustomize build`. */
  loadRestrictions?: LoadRestrictions;
  /** Changes the top kustomization before the build (Flux's Kustomization overlay). */
  overlay?: (k: Kustomization, file: string) => void;
  /**
   * Decrypts SOPS files as they are read (resources, patches, generator sources) and SOPS
   * documents left in the built objects (Secret data), as kustomize-controller does. A file or
   * object that cannot be decrypted fails the build with a KustomizeDecryptionError. Without it
   * nothing is decrypted and the build does no extra work.
   */
  decryptor?: Decryptor;
}

/** What a kustomization accumulates: its objects, field specs and vars. */
export interface Accumulation {
  resources: ResMap;
  config: TransformerConfig;
  vars: VarDecl[];
}

export class Builder {
  private objectCount = 0;
  private stack: string[] = [];

  constructor(readonly loader: Loader) {}

  get limits(): KustomizeLimits {
    return this.loader.limits;
  }

  /** Builds the kustomization in `dir` (absolute) completely, top-level steps included. */
  async build(dir: string, options: BuildOptions = {}): Promise<Resource[]> {
    const sortOverride = options.sort;
    let loaded: LoadedKustomization;
    const found = options.generate
      ? findKustomizationFile(this.loader, dir, this.loader.display(dir), "")
      : this.requireKustomization(dir, this.loader.display(dir), "");
    if (found) loaded = await loadKustomization(this.loader, found, dir);
    else {
      const path = join(dir, "kustomization.yaml");
      const k = await options.generate!(this.loader, dir);
      loaded = { k, path, display: `${this.loader.display(path)} (generated)`, dir };
    }
    options.overlay?.(loaded.k, loaded.display);
    const acc = await this.target(loaded, BUILTIN_SCHEMA, 0, true);
    for (const r of acc.resources.list) {
      if (!r.needsHashSuffix) continue;
      r.storePreviousId();
      r.name = `${r.name}-${await hashSuffix(r.obj)}`;
    }
    fixNameReferences(acc.resources, acc.config.nameReference, loaded.display);
    resolveVars(acc.resources, acc.vars, acc.config.varReference);
    let list = acc.resources.list.filter((r) =>
      r.annotations()["config.kubernetes.io/local-config"] !== "true"
    );
    applyBuildMetadata(list, loaded.k.buildMetadata, this.loader, dir, loaded.display);
    const sortOptions = loaded.k.sortOptions;
    const order = sortOverride ?? (sortOptions?.order === "fifo" ? "fifo" : "legacy");
    if (order === "legacy") {
      list = legacySort(
        list,
        sortOptions?.legacySortOptions?.orderFirst ?? LEGACY_ORDER_FIRST,
        sortOptions?.legacySortOptions?.orderLast ?? LEGACY_ORDER_LAST,
      );
    }
    return list;
  }

  requireKustomization(dir: string, file: string, field: string): string {
    const found = findKustomizationFile(this.loader, dir, file, field);
    if (!found) {
      throw new KustomizeError(
        file,
        field,
        `"${
          this.loader.display(dir)
        }" has no kustomization.yaml, kustomization.yml or Kustomization`,
      );
    }
    return found;
  }

  /** Accumulates a Kustomization (not a Component) and everything it includes. */
  async target(loaded: LoadedKustomization, schema: MergeKeySchema, depth: number, top = false) {
    if (loaded.k.kind === "Component" && !top) {
      throw new KustomizeError(
        loaded.display,
        "kind",
        "expected kind Kustomization but got Component: components belong in `components:`, not `resources:`",
      );
    }
    const acc: Accumulation = {
      resources: new ResMap(),
      config: defaultTransformerConfig(),
      vars: [],
    };
    await this.accumulate(loaded, acc, schema, depth);
    return acc;
  }

  private async accumulate(
    loaded: LoadedKustomization,
    acc: Accumulation,
    inherited: MergeKeySchema,
    depth: number,
  ): Promise<void> {
    const { k, display: file, dir } = loaded;
    if (depth > this.limits.maxDepth) {
      throw new KustomizeLimitError(
        file,
        "resources",
        `kustomizations nest deeper than ${this.limits.maxDepth} levels`,
      );
    }
    // As kustomize: a kustomization may not include itself or a directory above one being built.
    const visited = this.stack.find((d) => d === dir || d.startsWith(dir + "/"));
    if (visited) {
      throw new KustomizeError(
        file,
        "resources",
        `cycle detected: "${this.loader.display(dir)}" contains "${
          this.loader.display(visited)
        }", which is already being built`,
      );
    }
    this.stack.push(dir);
    try {
      if (k.helmCharts !== undefined) {
        throw new KustomizeError(
          file,
          "helmCharts",
          "helm charts are not supported here — use a HelmRelease",
        );
      }
      if (k.validators.length > 0) {
        throw new KustomizeError(
          file,
          "validators",
          "validator plugins are not supported (no exec)",
        );
      }
      const schema = await this.schemaFor(loaded, inherited);
      await this.accumulateResources(loaded, acc, schema, depth);
      for (let i = 0; i < k.configurations.length; i++) {
        const field = `configurations[${i}]`;
        const abs = this.loader.resolveFile(dir, k.configurations[i], file, field);
        const doc = this.parseYamlFile(
          await this.loader.readText(abs, file, field),
          abs,
          file,
          field,
        );
        if (isMap(doc)) {
          acc.config = mergeTransformerConfigs(acc.config, transformerConfigFromDocument(doc));
        }
      }
      for (let i = 0; i < k.crds.length; i++) {
        const field = `crds[${i}]`;
        const abs = this.loader.resolveFile(dir, k.crds[i], file, field);
        const doc = this.parseYamlFile(
          await this.loader.readText(abs, file, field),
          abs,
          file,
          field,
        );
        acc.config = mergeTransformerConfigs(acc.config, transformerConfigFromCrds(doc));
      }
      for (let i = 0; i < k.components.length; i++) {
        const field = `components[${i}]`;
        const ref = k.components[i];
        const abs = this.loader.resolveRef(dir, ref, file, field);
        const kind = this.loader.kindOf(abs, file, field);
        if (kind !== "dir") {
          throw new KustomizeError(
            file,
            field,
            kind === "missing"
              ? `component "${ref}" does not exist`
              : `component "${ref}" must be a directory holding a kustomization of kind Component`,
          );
        }
        const compFile = this.requireKustomization(abs, file, field);
        const comp = await loadKustomization(this.loader, compFile, abs);
        if (comp.k.kind !== "Component") {
          throw new KustomizeError(
            file,
            field,
            `"${ref}" is a ${
              comp.k.kind ?? "Kustomization"
            }, not a Component: kustomizations belong in \`resources:\``,
          );
        }
        if (
          comp.k.apiVersion !== undefined &&
          comp.k.apiVersion !== "kustomize.config.k8s.io/v1alpha1"
        ) {
          throw new KustomizeError(
            comp.display,
            "apiVersion",
            `apiVersion for Component should be kustomize.config.k8s.io/v1alpha1, not "${comp.k.apiVersion}"`,
          );
        }
        await this.accumulate(comp, acc, schema, depth + 1);
      }
      await this.runGenerators(loaded, acc);
      await this.runTransformers(loaded, acc, schema);
      acc.vars = declareVars(acc.resources, k.vars, acc.vars, file);
      this.checkCount(file, acc.resources.size);
    } catch (e) {
      if (e instanceof FieldPathError) throw new KustomizeError(file, "", e.message, e);
      if (e instanceof YamlError) throw new KustomizeError(e.file ?? file, "", e.reason, e);
      throw withContext(file, "", e);
    } finally {
      this.stack.pop();
    }
  }

  private async schemaFor(loaded: LoadedKustomization, inherited: MergeKeySchema) {
    const openapi = loaded.k.openapi;
    // `openapi: {version: ...}` picks one of kustomize's built-in schemas: the built-in facts here.
    if (!openapi || (openapi.path === undefined && openapi.version !== undefined)) return inherited;
    if (typeof openapi.path !== "string") {
      throw new KustomizeError(
        loaded.display,
        "openapi",
        "expected `openapi: {path: schema.json}`",
      );
    }
    const abs = this.loader.resolveFile(loaded.dir, openapi.path, loaded.display, "openapi.path");
    const text = await this.loader.readText(abs, loaded.display, "openapi.path");
    const doc = this.parseYamlFile(text, abs, loaded.display, "openapi.path");
    return inherited.withCustom(mergeKeysFromOpenApi(doc));
  }

  private parseYamlFile(text: string, abs: string, file: string, field: string): unknown {
    try {
      return parseOne(text, { file: this.loader.display(abs), maxAliases: this.limits.maxAliases });
    } catch (e) {
      if (e instanceof YamlError) throw new KustomizeError(file, field, e.message, e);
      throw e;
    }
  }

  private checkCount(file: string, n: number) {
    if (n > this.limits.maxObjects) {
      throw new KustomizeLimitError(
        file,
        "resources",
        `the build has ${n} objects, over the limit of ${this.limits.maxObjects}`,
      );
    }
  }

  private async accumulateResources(
    loaded: LoadedKustomization,
    acc: Accumulation,
    schema: MergeKeySchema,
    depth: number,
  ) {
    const { k, display: file, dir } = loaded;
    for (let i = 0; i < k.resources.length; i++) {
      const field = `resources[${i}]`;
      const ref = k.resources[i];
      const abs = this.loader.resolveRef(dir, ref, file, field);
      const kind = this.loader.kindOf(abs, file, field);
      if (kind === "missing") {
        throw new KustomizeError(file, field, `"${ref}" does not exist`);
      }
      if (kind === "dir") {
        const subFile = this.requireKustomization(abs, file, field);
        const sub = await loadKustomization(this.loader, subFile, abs);
        const subAcc = await this.target(sub, schema, depth + 1);
        acc.resources.appendAll(subAcc.resources, file, field);
        acc.config = mergeTransformerConfigs(acc.config, subAcc.config);
        for (const v of subAcc.vars) {
          if (acc.vars.some((x) => x.name === v.name)) {
            throw new KustomizeError(file, field, `var '${v.name}' already encountered`);
          }
          acc.vars.push(v);
        }
      } else {
        this.loader.checkFileScope(dir, abs, file, field);
        acc.resources.appendAll(
          await this.loadResourceFile(abs, file, field, { role: "resource" }),
          file,
          field,
        );
      }
      this.checkCount(file, acc.resources.size);
    }
  }

  /** Parsed resource files, reused (as copies) when several overlays include the same base. */
  private parsed = new Map<string, ResourceDocument[]>();

  /**
   * Objects of one YAML file; `List` kinds are expanded into their items. `use` says what the file
   * is for the read hook (plugin configs are read as they are).
   */
  async loadResourceFile(
    abs: string,
    file: string,
    field: string,
    use?: FileUse,
  ): Promise<Resource[]> {
    const display = this.loader.display(abs);
    const text = await this.loader.readText(abs, file, field, use);
    // Keyed by role too: the same file read through the hook and without it differ.
    const cacheKey = use ? `${use.role}:${abs}` : abs;
    let docs = this.parsed.get(cacheKey);
    if (!docs) {
      try {
        docs = parseResourceYaml(text, display, this.limits.maxAliases);
      } catch (e) {
        if (e instanceof YamlError) throw new KustomizeError(file, field, e.message, e);
        throw e;
      }
      this.parsed.set(cacheKey, docs);
    }
    docs = docs.map((d) => ({ index: d.index, value: structuredClone(d.value) }));
    const out: Resource[] = [];
    const add = (value: unknown, where: string) => {
      if (!isMap(value)) {
        throw new KustomizeError(file, field, `${where}: expected a Kubernetes object (a map)`);
      }
      const kind = value.kind;
      if (typeof kind !== "string" || kind === "") {
        throw new KustomizeError(file, field, `${where}: missing kind`);
      }
      if (kind.endsWith("List") && Array.isArray(value.items)) {
        value.items.forEach((item, j) => add(item, `${where}: items[${j}]`));
        return;
      }
      out.push(new Resource(value as KubeObject, display));
      this.objectCount++;
    };
    for (const d of docs) {
      if (d.value === null || d.value === undefined) continue;
      add(d.value, `${display}: document ${d.index + 1}`);
    }
    if (this.objectCount > this.limits.maxObjects) this.checkCount(file, this.objectCount);
    return out;
  }

  private async runGenerators(loaded: LoadedKustomization, acc: Accumulation) {
    const { k, display: file, dir } = loaded;
    for (
      const [kind, list] of [
        ["ConfigMap", k.configMapGenerator],
        ["Secret", k.secretGenerator],
      ] as const
    ) {
      for (let i = 0; i < list.length; i++) {
        const field = `${kind === "ConfigMap" ? "configMapGenerator" : "secretGenerator"}[${i}]`;
        const r = await generate(
          kind,
          list[i],
          k.generatorOptions,
          undefined,
          this.loader,
          dir,
          file,
          field,
        );
        acc.resources.absorb(r, file, field);
      }
    }
    if (k.generators.length > 0) {
      await runPluginConfigs(this, loaded, acc, "generators");
    }
  }

  private async runTransformers(
    loaded: LoadedKustomization,
    acc: Accumulation,
    schema: MergeKeySchema,
  ) {
    await runBuiltinTransformers(loaded, acc, this.loader, schema);
    if (loaded.k.transformers.length > 0) {
      await runPluginConfigs(this, loaded, acc, "transformers");
    }
    acc.resources.changed();
  }
}

export async function buildResources(
  root: string,
  dir: string,
  options: BuildOptions = {},
): Promise<Resource[]> {
  const limits = { ...DEFAULT_KUSTOMIZE_LIMITS, ...(options.limits ?? {}) };
  const { decryptor } = options;
  // Loaded only to decrypt: SOPS brings OpenPGP and age, which a plain build never needs.
  const decrypt = decryptor ? await import("./decrypt.ts") : undefined;
  const loader = await Loader.create(
    root,
    limits,
    options.loadRestrictions ?? "rootOnly",
    options.readsEnvironment ?? false,
    decryptor && decrypt?.sopsReadHook(decryptor),
  );
  const abs = loader.resolveRef(
    loader.root,
    dir.startsWith("/") ? relativeTo(loader.root, dir) : dir,
    ".",
    "",
  );
  const resources = await new Builder(loader).build(abs, options);
  if (decryptor) await decrypt?.decryptBuiltResources(resources, decryptor);
  return resources;
}

function relativeTo(root: string, abs: string): string {
  if (abs === root) return ".";
  return abs.startsWith(root + "/") ? abs.slice(root.length + 1) : abs;
}
