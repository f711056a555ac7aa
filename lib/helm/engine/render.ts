// Helm's template engine: every template of the chart tree parsed into one set (so charts share
// `define`s, parent charts winning), then each non-partial executed with its chart's scope
// (.Values, .Chart, .Files, .Subcharts, .Template). `include`, `tpl`, `required`, `fail` and
// `lookup` are bound per render; "<no value>" is removed from the output as Helm does.
import {
  ExecError,
  type FuncMap,
  GoFuncError,
  goQuote,
  RenderBudget,
  RenderBudgetError,
  type RenderLimits,
  Template,
  TemplateError,
  typed,
} from "../../gotemplate/mod.ts";
import { isLibrary } from "../chart/metadata.ts";
import { type Chart, chartFullPath } from "../chart/types.ts";
import { isTable, type Table } from "../values/copy.ts";
import type { Capabilities } from "./capabilities.ts";
import { ChartObject } from "./chart_object.ts";
import { execErrorOf, parseErrorOf, warnWrap } from "./errors.ts";
import { Files } from "./files.ts";
import { defaultFuncs } from "./default_funcs.ts";
import { serializeFuncs } from "./serialize_funcs.ts";

/** `lookup apiVersion kind namespace name`: a live object, a list, or an empty map. */
export type LookupFunction = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
) => Table;

export interface ReleaseInfo {
  name: string;
  namespace: string;
  revision: number;
  isInstall: boolean;
  isUpgrade: boolean;
}

export interface EngineOptions {
  /** Sprig and any other functions charts may call (Helm's own are added on top). */
  baseFuncs?: FuncMap;
  /** missingkey=error instead of zero. */
  strict?: boolean;
  /** Live `lookup`; offline it returns an empty map, as `helm template` does. */
  lookup?: LookupFunction;
  /** Time and size budget of the whole chart render (default DEFAULT_RENDER_LIMITS). */
  limits?: Partial<RenderLimits>;
}

interface Renderable {
  text: string;
  vals: Table;
  basePath: string;
}

const MAX_INCLUDE_DEPTH = 1000;

function collect(
  c: Chart,
  parentVals: Table | undefined,
  shared: Table,
  out: Map<string, Renderable>,
): Table {
  const subcharts: Table = {};
  const isRoot = c.parent === undefined;
  let values: unknown = {};
  if (isRoot) values = shared.Values;
  else if (
    parentVals && isTable(parentVals.Values) && isTable(parentVals.Values[c.metadata.name])
  ) {
    values = parentVals.Values[c.metadata.name];
  }
  const next: Table = {
    Chart: new ChartObject(c.metadata, isRoot),
    Files: new Files(c.files),
    Release: shared.Release,
    Capabilities: shared.Capabilities,
    Values: values,
    Subcharts: subcharts,
  };
  for (const child of c.dependencies) {
    subcharts[child.metadata.name] = collect(child, next, shared, out);
  }
  const id = chartFullPath(c);
  const library = isLibrary(c.metadata);
  for (const t of c.templates) {
    const base = t.name.slice(t.name.lastIndexOf("/") + 1);
    if (library && !base.startsWith("_")) continue;
    out.set(`${id}/${t.name}`, {
      text: new TextDecoder().decode(t.data),
      vals: next,
      basePath: `${id}/templates`,
    });
  }
  return next;
}

/** Helm's parse order: deeper paths first, then names descending (so parents' defines win). */
function sortTemplateNames(names: Iterable<string>): string[] {
  const slashes = (s: string) => s.split("/").length - 1;
  return [...names].sort((a, b) => {
    const ca = slashes(a), cb = slashes(b);
    if (ca !== cb) return cb - ca;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

/** The Helm functions that close over the executing template set. */
function boundFuncs(t: Template, included: Map<string, number>, strict: boolean): FuncMap {
  return {
    include: typed(["string", "any"], (name: string, data: unknown) => {
      const depth = included.get(name) ?? 0;
      if (depth > MAX_INCLUDE_DEPTH) throw includeTooDeep(name, depth);
      included.set(name, depth + 1);
      try {
        return t.executeTemplate(name, data);
      } catch (e) {
        // The stack may end before Helm's depth limit. Either way one short error, passed up
        // unwrapped, says what happened instead of a chain of a thousand "error calling include".
        if (e instanceof ExecError && !(e instanceof RenderBudgetError) && isStackExhausted(e)) {
          throw includeTooDeep(name, depth);
        }
        throw e;
      } finally {
        included.set(name, (included.get(name) ?? 1) - 1);
      }
    }),
    tpl: typed(["string", "any"], (text: string, vals: unknown) => {
      const copy = t.clone();
      copy.option(strict ? "error" : "zero");
      copy.funcs(boundFuncs(copy, included, strict));
      let parsed: Template;
      try {
        parsed = copy.new(t.name).parse(text);
      } catch (e) {
        throw new GoFuncError(`cannot parse template ${goQuote(text)}: ${(e as Error).message}`);
      }
      try {
        return parsed.execute(vals).replaceAll("<no value>", "");
      } catch (e) {
        if (e instanceof RenderBudgetError) throw e;
        throw new GoFuncError(
          `error during tpl function execution for ${goQuote(text)}: ${(e as Error).message}`,
        );
      }
    }),
  };
}

function includeTooDeep(name: string, depth: number): RenderBudgetError {
  return new RenderBudgetError(
    name,
    "depth",
    `rendering template has a nested reference name: ${name}: unable to execute template ` +
      `(include ${goQuote(name)} nested ${depth} levels deep: the limit, or the stack, ends there)`,
  );
}

function isStackExhausted(e: ExecError): boolean {
  // No regular expression: the stack has only just been unwound.
  return e.message.includes("exceeded maximum template depth (");
}

/** `lookup`: the live one when given, else Helm's offline answer, an empty map. */
function lookupFunc(lookup: LookupFunction | undefined): FuncMap {
  return {
    lookup: typed(
      ["string", "string", "string", "string"],
      (apiVersion: string, kind: string, namespace: string, name: string) =>
        lookup ? lookup(apiVersion, kind, namespace, name) : {},
    ),
  };
}

function helmFuncs(options: EngineOptions): FuncMap {
  return {
    ...(options.baseFuncs ?? defaultFuncs()),
    ...serializeFuncs(),
    required: typed(["string", "any"], (warn: string, val: unknown) => {
      if (val === null || val === undefined || val === "") throw new GoFuncError(warnWrap(warn));
      return val;
    }),
    fail: typed(["string"], (msg: string) => {
      throw new GoFuncError(warnWrap(msg));
    }),
    ...lookupFunc(undefined),
    // Offline rendering must not depend on DNS: Helm returns "" unless --enable-dns.
    getHostByName: typed(["string"], () => ""),
    // Placeholders so templates parse; the bound versions replace them per execution.
    include: typed(["string", "any"], () => "not implemented"),
    tpl: typed(["string", "any"], () => "not implemented"),
  };
}

// Parsed template sets by their full source, so rendering the same chart again skips parsing.
const parsedSets = new Map<string, Template>();
const MAX_CACHED_SETS = 32;

function parseAll(
  files: Map<string, Renderable>,
  order: string[],
  options: EngineOptions,
): Template {
  const funcs = options.baseFuncs ?? defaultFuncs();
  const key = `${options.strict ? "strict" : ""}\u0002${
    order.map((n) => `${n}\u0000${files.get(n)!.text}`).join("\u0001")
  }`;
  const cached = parsedSets.get(key);
  if (cached && cachedFuncs.get(cached) === funcs) return cached.clone();
  const root = new Template("gotpl", { missingKey: options.strict ? "error" : "zero" });
  root.funcs(helmFuncs(options));
  for (const name of order) {
    try {
      root.new(name).parse(files.get(name)!.text);
    } catch (e) {
      if (e instanceof TemplateError) throw parseErrorOf(name, e);
      throw e;
    }
  }
  if (parsedSets.size >= MAX_CACHED_SETS) parsedSets.delete(parsedSets.keys().next().value!);
  parsedSets.set(key, root);
  cachedFuncs.set(root, funcs);
  return root.clone();
}
const cachedFuncs = new WeakMap<Template, FuncMap>();

/** Forgets parsed template sets (benchmarks measure rendering without them). */
export function clearTemplateCache(): void {
  parsedSets.clear();
}

export interface TopValues {
  Values: Table;
  Release: Table;
  Capabilities: Capabilities;
}

/** Renders every template of the (processed) chart tree: template path → output text. */
export function renderTemplates(
  chart: Chart,
  top: TopValues,
  options: EngineOptions = {},
): Map<string, string> {
  const files = new Map<string, Renderable>();
  collect(chart, undefined, top as unknown as Table, files);
  const order = sortTemplateNames(files.keys());
  const set = parseAll(files, order, options);
  set.option(options.strict ? "error" : "zero");
  set.funcs({
    ...boundFuncs(set, new Map(), options.strict === true),
    ...lookupFunc(options.lookup),
  });
  const rendered = new Map<string, string>();
  // One budget for the whole chart: its time and output add up over all its templates.
  const budget = new RenderBudget(options.limits, chartFullPath(chart));
  budget.run(() => renderEach(set, files, order, rendered, budget));
  return rendered;
}

function renderEach(
  set: Template,
  files: Map<string, Renderable>,
  order: string[],
  rendered: Map<string, string>,
  budget: RenderBudget,
): void {
  for (const name of order) {
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (base.startsWith("_")) continue;
    const r = files.get(name)!;
    r.vals.Template = { Name: name, BasePath: r.basePath };
    let out: string;
    try {
      out = set.executeTemplate(name, r.vals);
    } catch (e) {
      if (e instanceof Error && !(e instanceof RangeError)) throw execErrorOf(name, e);
      throw e;
    }
    budget.chargeOutput(out.length, () => `template: ${name}`);
    rendered.set(name, out.replaceAll("<no value>", ""));
  }
}
