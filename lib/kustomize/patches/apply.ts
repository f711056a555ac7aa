// Applying the patches of a kustomization to the accumulated objects, as kustomize's
// PatchTransformer, PatchStrategicMergeTransformer and PatchJson6902Transformer do.
import { parseAll, YamlError } from "../../yaml/mod.ts";
import { KustomizeError } from "../errors.ts";
import type { PatchEntry, Selector } from "../kustomization.ts";
import type { Loader } from "../loader.ts";
import type { ResMap } from "../resmap.ts";
import { describeId, isMap, type KubeObject, type Resource, splitApiVersion } from "../resource.ts";
import type { MergeKeySchema } from "../schema.ts";
import { SelectorError, selectResources } from "../selector.ts";
import { applyJsonPatch, asJsonPatch, JsonPatchError, type JsonPatchOp } from "./json6902.ts";
import { strategicMerge, StrategicMergeError } from "./strategic_merge.ts";

export interface PatchContext {
  loader: Loader;
  dir: string;
  file: string;
  schema: MergeKeySchema;
}

type ParsedPatch =
  | { type: "smp"; patches: KubeObject[] }
  | { type: "json"; ops: JsonPatchOp[] };

async function patchText(
  ctx: PatchContext,
  entry: { path?: string; patch?: string },
  field: string,
): Promise<string> {
  const inline = typeof entry.patch === "string" ? entry.patch.trim() : "";
  const path = typeof entry.path === "string" ? entry.path : "";
  if (inline === "" && path === "") {
    throw new KustomizeError(ctx.file, field, "a patch needs either `patch` or `path`");
  }
  if (inline !== "" && path !== "") {
    throw new KustomizeError(ctx.file, field, "`patch` and `path` can't be set at the same time");
  }
  if (inline !== "") return inline;
  const abs = ctx.loader.resolveFile(ctx.dir, path, ctx.file, `${field}.path`);
  return await ctx.loader.readText(abs, ctx.file, `${field}.path`, { role: "patch" });
}

function parsePatch(text: string, ctx: PatchContext, field: string): ParsedPatch {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      return { type: "json", ops: asJsonPatch(JSON.parse(trimmed)) };
    } catch {
      // Not JSON: YAML flow syntax is tried below.
    }
  }
  let docs: unknown[];
  try {
    docs = parseAll(text, { file: ctx.file, maxAliases: ctx.loader.limits.maxAliases });
  } catch (e) {
    const reason = e instanceof YamlError ? e.reason : String(e);
    throw new KustomizeError(ctx.file, field, `the patch is neither YAML nor JSON: ${reason}`);
  }
  if (docs.length === 1 && Array.isArray(docs[0])) {
    try {
      return { type: "json", ops: asJsonPatch(docs[0]) };
    } catch (e) {
      throw new KustomizeError(ctx.file, field, (e as Error).message);
    }
  }
  const patches = docs.map((d, i) => {
    if (!isMap(d)) {
      throw new KustomizeError(
        ctx.file,
        field,
        `document ${
          i + 1
        } of the patch is not a map (a strategic merge patch) or a list of operations`,
      );
    }
    return d;
  });
  return { type: "smp", patches };
}

/** Merges one strategic merge patch into one object; false when the patch deleted it. */
function mergeInto(
  r: Resource,
  patch: KubeObject,
  ctx: PatchContext,
  field: string,
  options: PatchEntry["options"] = {},
): boolean {
  const { name, namespace, kind } = r;
  const apiVersion = r.obj.apiVersion;
  if (options.allowNameChange || options.allowKindChange) r.storePreviousId();
  // The patch takes the target's apiVersion: a patch written for another version still applies.
  const p = { ...patch, apiVersion };
  let merged: unknown;
  try {
    merged = strategicMerge(r.obj, p, ctx.schema.listsOf(r.gvk), true);
  } catch (e) {
    if (e instanceof StrategicMergeError) {
      throw new KustomizeError(ctx.file, field, `${describeId(r.curId())}: ${e.message}`);
    }
    throw e;
  }
  if (!isMap(merged) || Object.keys(merged).length === 0) return false;
  r.obj = merged;
  if (!options.allowKindChange) r.obj.kind = kind;
  if (!options.allowNameChange) r.name = name;
  r.namespace = namespace;
  return true;
}

function patchSelectorFromObject(p: KubeObject): Selector {
  const meta = isMap(p.metadata) ? p.metadata : {};
  const { group, version } = splitApiVersion(p.apiVersion);
  return {
    group,
    version,
    kind: typeof p.kind === "string" ? p.kind : undefined,
    name: typeof meta.name === "string" ? meta.name : undefined,
    namespace: typeof meta.namespace === "string" ? meta.namespace : undefined,
  };
}

/** Untargeted strategic merge patches find their object by kind, name and namespace. */
function findPatchTarget(resources: ResMap, p: KubeObject, ctx: PatchContext, field: string) {
  const s = patchSelectorFromObject(p);
  const matches = resources.list.filter((r) =>
    r.allIds().some((id) =>
      id.kind === s.kind && id.name === s.name &&
      (s.group === "" || id.group === s.group) &&
      // No namespace in the patch means the default namespace, as in kustomize; objects a base
      // moved into a namespace still match through their earlier id.
      (id.namespace || "default") === (s.namespace || "default")
    )
  );
  if (matches.length === 0) {
    throw new KustomizeError(
      ctx.file,
      field,
      `no object matches the patch for ${s.kind} "${s.name}"${
        s.namespace ? ` in namespace "${s.namespace}"` : ""
      }: failed to find a unique target`,
    );
  }
  if (matches.length > 1) {
    throw new KustomizeError(
      ctx.file,
      field,
      `several objects match the patch for ${s.kind} "${s.name}": ${
        matches.map((m) => describeId(m.curId())).join(", ")
      }; give the namespace`,
    );
  }
  return matches[0];
}

function applySmp(
  resources: ResMap,
  patches: KubeObject[],
  target: Selector | undefined,
  ctx: PatchContext,
  field: string,
  options: PatchEntry["options"],
) {
  for (const p of patches) {
    const targets = target ? select(resources, target, ctx, field) : [
      findPatchTarget(resources, p, ctx, field),
    ];
    for (const r of targets) {
      if (!mergeInto(r, p, ctx, field, options)) resources.remove(r);
    }
  }
}

function select(resources: ResMap, target: Selector, ctx: PatchContext, field: string) {
  try {
    return selectResources(resources, target);
  } catch (e) {
    if (e instanceof SelectorError) {
      throw new KustomizeError(ctx.file, `${field}.target`, e.message);
    }
    throw e;
  }
}

function applyJson(
  resources: ResMap,
  ops: JsonPatchOp[],
  target: Selector | undefined,
  ctx: PatchContext,
  field: string,
  rememberId: boolean,
) {
  if (!target) {
    throw new KustomizeError(ctx.file, field, "a JSON 6902 patch needs a `target`");
  }
  for (const r of select(resources, target, ctx, field)) {
    // `patches` may rename with a JSON patch; the old name stays known for name references.
    if (rememberId) r.storePreviousId();
    try {
      const out = applyJsonPatch(r.obj, ops);
      if (!isMap(out)) throw new JsonPatchError("the result is not an object");
      r.obj = out;
    } catch (e) {
      if (e instanceof JsonPatchError) {
        throw new KustomizeError(ctx.file, field, `${describeId(r.curId())}: ${e.message}`);
      }
      throw e;
    }
  }
}

export async function applyPatches(resources: ResMap, entries: PatchEntry[], ctx: PatchContext) {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const field = `patches[${i}]`;
    const text = await patchText(ctx, entry, field);
    // Overlays sharing a base parse its patches once per build.
    const parsed = ctx.loader.memo(`patch:${text}`, () => parsePatch(text, ctx, field));
    if (parsed.type === "smp") {
      applySmp(resources, parsed.patches, entry.target, ctx, field, entry.options ?? {});
    } else {
      applyJson(resources, parsed.ops, entry.target, ctx, field, true);
    }
  }
}

export async function applyPatchesStrategicMerge(
  resources: ResMap,
  entries: string[],
  ctx: PatchContext,
) {
  for (let i = 0; i < entries.length; i++) {
    const field = `patchesStrategicMerge[${i}]`;
    const entry = entries[i];
    // An entry is a file path unless it holds YAML itself (a newline or a map).
    const inline = entry.includes("\n") || entry.trim().startsWith("{");
    const text = inline ? entry : await patchText(ctx, { path: entry }, field);
    const parsed = parsePatch(text, ctx, field);
    if (parsed.type !== "smp") {
      throw new KustomizeError(
        ctx.file,
        field,
        "expected a strategic merge patch, got a JSON patch",
      );
    }
    applySmp(resources, parsed.patches, undefined, ctx, field, {});
  }
}

export async function applyPatchesJson6902(
  resources: ResMap,
  entries: PatchEntry[],
  ctx: PatchContext,
) {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const field = `patchesJson6902[${i}]`;
    const parsed = parsePatch(await patchText(ctx, entry, field), ctx, field);
    if (parsed.type !== "json") {
      throw new KustomizeError(
        ctx.file,
        field,
        "expected a JSON 6902 patch (a list of operations)",
      );
    }
    applyJson(resources, parsed.ops, entry.target, ctx, field, false);
  }
}
