// Image setters: YAML fields marked with a line comment `# {"$imagepolicy": "<ns>:<policy>"}`
// get the policy's latest image; `...:tag"}`, `...:name"}` and `...:digest"}` get that part only
// (split fields such as Helm values or a Kustomization's `images:` entries).
//
// Unlike Flux, which re-serialises every touched file through kyaml, only the bytes of the
// marked values change here: comments, quoting, indentation, key order, document separators
// and line endings stay as they were, and files without a change are not written at all.
import { Composer, CST, type Document, Parser } from "yaml";
import { readTextStrict, YamlError } from "../yaml/mod.ts";
import { type ImageReference, parseImageRef } from "../registry/mod.ts";
import { renderScalar, type ScalarStyle } from "./scalar_text.ts";
import { SetterError } from "./setter_error.ts";
import { normaliseSubPath, yamlFiles } from "./yaml_files.ts";

/** An ImagePolicy's result, as setters need it. */
export interface SetterPolicy {
  namespace: string;
  name: string;
  /** The latest image: `name:tag` or `name:tag@digest` (status.latestImage / latestRef). */
  latestImage: string;
}

/** The object a changed field belongs to (empty strings when the document lacks them). */
export interface ObjectId {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** One field that changed. */
export interface SetterChange {
  /** Path relative to the tree root, with `/` separators. */
  file: string;
  object: ObjectId;
  /** The marker's setter name, e.g. `flux-system:app:tag`. */
  setter: string;
  /** Where the value is in its document, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  oldValue: string;
  newValue: string;
  /** The policy whose image was written. */
  policy: { namespace: string; name: string };
  /** The policy's full latest image. */
  image: string;
}

export interface SetterResult {
  changes: SetterChange[];
  /** Files that carry markers but are not valid YAML; skipped, as Flux does. */
  problemFiles: { file: string; reason: string }[];
}

export interface ApplySettersOptions {
  /** Sub-directory of the tree to update (`spec.update.path`), default the whole tree. */
  path?: string;
  /** Write changed files here (same relative paths) instead of in place. */
  outDir?: string;
  /** Compute the changes without writing anything (a dry run). */
  dryRun?: boolean;
}

const TOKEN = '"$imagepolicy"';

/** Applies the setters of `policies` to the YAML files under `root` (or `root/options.path`). */
export async function applySetters(
  root: string,
  policies: readonly SetterPolicy[],
  options: ApplySettersOptions = {},
): Promise<SetterResult> {
  const values = setterValues(policies);
  const base = normaliseSubPath(options.path ?? ".");
  const result: SetterResult = { changes: [], problemFiles: [] };
  const files = await yamlFiles(root, base);
  // Files are read and written a few at a time so disk waits overlap the parsing; results are
  // gathered per file and merged in walk order, so the change records stay deterministic.
  const perFile: SetterResult[] = files.map(() => ({ changes: [], problemFiles: [] }));
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      await updateFile(root, files[i], values, options, perFile[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IO_CONCURRENCY, files.length) }, worker));
  for (const r of perFile) {
    result.changes.push(...r.changes);
    result.problemFiles.push(...r.problemFiles);
  }
  return result;
}

const IO_CONCURRENCY = 8;

async function updateFile(
  root: string,
  file: string,
  values: Map<string, SetterValue>,
  options: ApplySettersOptions,
  result: SetterResult,
): Promise<void> {
  let text: string;
  try {
    text = await readTextStrict(`${root}/${file}`);
  } catch (e) {
    // Not UTF-8, or too large: not something to edit, but no reason to stop the others.
    if (!(e instanceof YamlError)) throw e;
    result.problemFiles.push({ file, reason: e.reason });
    return;
  }
  if (!mentionsKnownSetter(text, values)) return;
  const updated = updateText(file, text, values, result);
  if (updated === undefined || options.dryRun) return;
  if (options.outDir !== undefined) {
    const target = `${options.outDir}/${file}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(target, updated);
  } else {
    await Deno.writeTextFile(`${root}/${file}`, updated);
  }
}

interface SetterValue {
  value: string;
  policy: SetterPolicy;
}

/** The value of every setter name the policies define (`ns:name`, `ns:name:tag`, ...). */
function setterValues(policies: readonly SetterPolicy[]): Map<string, SetterValue> {
  const values = new Map<string, SetterValue>();
  for (const policy of policies) {
    if (!policy.latestImage) continue;
    let ref: ImageReference;
    try {
      ref = parseImageRef(policy.latestImage);
    } catch (e) {
      throw new SetterError(
        `ImagePolicy ${policy.namespace}/${policy.name}: latest image ${
          JSON.stringify(policy.latestImage)
        } is not a valid image reference: ${(e as Error).message}`,
        e as Error,
      );
    }
    const key = `${policy.namespace}:${policy.name}`;
    values.set(key, { value: policy.latestImage, policy });
    values.set(`${key}:name`, { value: ref.name, policy });
    if (ref.tag !== undefined) values.set(`${key}:tag`, { value: ref.tag, policy });
    if (ref.digest !== undefined) values.set(`${key}:digest`, { value: ref.digest, policy });
  }
  return values;
}

interface Edit {
  offset: number;
  length: number;
  text: string;
}

const MARKER = /"\$imagepolicy"\s*:\s*"([^"\\]*)"/g;

/** A cheap screen before parsing: does the file name any setter we have a value for? */
function mentionsKnownSetter(text: string, values: Map<string, SetterValue>): boolean {
  if (!text.includes(TOKEN)) return false;
  for (const m of text.matchAll(MARKER)) if (values.has(m[1])) return true;
  return false;
}

/** The new text of a file, or undefined when no marked value changes. */
function updateText(
  file: string,
  text: string,
  values: Map<string, SetterValue>,
  result: SetterResult,
): string | undefined {
  // One parse: the CST locates values and their comments byte-exactly, the composed documents
  // validate the file (as go-yaml would reject it) and name the objects. Nothing is converted
  // to JS values, so aliases are never expanded.
  const tokens = [...new Parser().parse(text)];
  const docs = [
    ...new Composer({ version: "1.1", uniqueKeys: true, strict: true }).compose(tokens),
  ];
  const broken = docs.flatMap((d) => d.errors)[0];
  if (broken) {
    result.problemFiles.push({ file, reason: broken.message.split("\n")[0] });
    return undefined;
  }
  const edits: Edit[] = [];
  for (const token of tokens) {
    if (token.type !== "document") continue;
    CST.visit(token, (item, path) => {
      const scalar = item.value;
      if (!scalar || !isFlowScalar(scalar)) return;
      const setter = markerOf(scalar.end);
      if (setter === undefined) return;
      const found = values.get(setter);
      if (!found) return;
      const old = CST.resolveAsScalar(scalar);
      if (!old || old.value === found.value) return;
      const inFlow = path.length > 0 && isInFlow(token, path);
      edits.push({
        offset: scalar.offset,
        length: scalar.source.length,
        text: renderScalar(found.value, styleOf(scalar), inFlow),
      });
      const doc = docs.find((d) => containsOffset(d.range, scalar.offset));
      result.changes.push({
        file,
        object: objectIdOf(doc),
        setter,
        field: fieldOf(token, path),
        oldValue: old.value,
        newValue: found.value,
        policy: { namespace: found.policy.namespace, name: found.policy.name },
        image: found.policy.latestImage,
      });
    });
  }
  if (edits.length === 0) return undefined;
  let out = text;
  for (const e of edits.sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  }
  return out;
}

type FlowScalar = CST.FlowScalar;

function isFlowScalar(token: CST.Token): token is FlowScalar {
  return token.type === "scalar" || token.type === "single-quoted-scalar" ||
    token.type === "double-quoted-scalar";
}

function styleOf(token: FlowScalar): ScalarStyle {
  if (token.type === "single-quoted-scalar") return "single-quoted";
  if (token.type === "double-quoted-scalar") return "double-quoted";
  return "plain";
}

/**
 * The setter named by a same-line comment after a value. As in kyaml, the whole comment after
 * `#` must be a JSON object; other comments are ordinary comments.
 */
function markerOf(end: CST.SourceToken[] | undefined): string | undefined {
  const comment = end?.find((t) => t.type === "comment");
  if (!comment || !comment.source.includes("$imagepolicy")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment.source.replace(/^#+/, ""));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const ref = (parsed as Record<string, unknown>)["$imagepolicy"];
  return typeof ref === "string" ? ref : undefined;
}

/** The key path of the item at `path`: map keys joined by dots, sequence indexes in brackets. */
function fieldOf(doc: CST.Document, path: CST.VisitPath): string {
  let field = "";
  for (let i = 1; i <= path.length; i++) {
    const item = CST.visit.itemAtPath(doc, path.slice(0, i));
    const key = item?.key ? CST.resolveAsScalar(item.key)?.value : undefined;
    if (key === undefined) field += `[${path[i - 1][1]}]`;
    else field += field === "" ? key : `.${key}`;
  }
  return field;
}

function isInFlow(doc: CST.Document, path: CST.VisitPath): boolean {
  const parent = CST.visit.parentCollection(doc, path);
  return parent.type === "flow-collection";
}

function containsOffset(range: [number, number, number] | undefined, offset: number): boolean {
  return range !== undefined && offset >= range[0] && offset < range[2];
}

function objectIdOf(doc: Document.Parsed | undefined): ObjectId {
  const str = (path: string[]) => {
    const v = doc?.getIn(path);
    return typeof v === "string" ? v : "";
  };
  return {
    apiVersion: str(["apiVersion"]),
    kind: str(["kind"]),
    name: str(["metadata", "name"]),
    namespace: str(["metadata", "namespace"]),
  };
}
