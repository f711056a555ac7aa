// Differential testing of lib/gotemplate + lib/sprig against Go's text/template + Sprig (the
// tests/oracle/gotemplate program). Cases run in one batch per call: one Go process for all.
import {
  type DocumentOptions,
  parse as parseYaml,
  type ParseOptions,
  type SchemaOptions,
  type Tags,
} from "yaml";
import { fromPlain, type MissingKey, Template } from "../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../lib/sprig/mod.ts";
import { runOracle } from "./go.ts";

export interface OracleCase {
  /** Template text, parsed as template `name` (default "t"). */
  template: string;
  /** YAML (or JSON) data, parsed as Helm parses values (numbers become float64). */
  data?: string;
  name?: string;
  /** More templates of the set, parsed with t.New(name).Parse(text). */
  templates?: Record<string, string>;
  missingkey?: MissingKey;
  /** Register Helm's extra functions (toYaml, include, tpl, required...) and missingkey=zero. */
  helm?: boolean;
  /** Execute this template instead of `name`. */
  execute?: string;
}

/** YAML 1.1 like go-yaml v2, with timestamps left as the strings sigs.k8s.io/yaml keeps. */
const YAML_AS_GO: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  customTags: (tags: Tags) =>
    tags.filter((t) => typeof t === "string" ? t !== "timestamp" : t.tag !== TIMESTAMP),
};
const TIMESTAMP = "tag:yaml.org,2002:timestamp";

export interface OracleResult {
  output?: string;
  error?: string;
}

/** Renders every case with Go. */
export async function renderWithGo(cases: OracleCase[]): Promise<OracleResult[]> {
  const out = await runOracle("gotemplate", JSON.stringify(cases));
  return JSON.parse(out) as OracleResult[];
}

/** Renders one case with skiff's engine and Sprig (no Helm functions). */
export function renderWithSkiff(c: OracleCase): OracleResult {
  try {
    const data = c.data ? fromPlain(parseYaml(c.data, YAML_AS_GO) ?? {}) : undefined;
    const t = new Template(c.name ?? "t", { missingKey: c.missingkey }).funcs(sprigFuncs());
    t.parse(c.template);
    for (const [name, text] of Object.entries(c.templates ?? {})) t.new(name).parse(text);
    const output = c.execute ? t.executeTemplate(c.execute, data) : t.execute(data);
    return { output };
  } catch (e) {
    if (e instanceof Error && /^(TemplateError|ExecError)$/.test(e.name)) {
      return { error: e.message };
    }
    throw e;
  }
}

export interface Mismatch {
  case: OracleCase;
  go: OracleResult;
  skiff: OracleResult;
}

/** Cases whose skiff result differs from Go's (output, or error text). */
export async function mismatches(cases: OracleCase[]): Promise<Mismatch[]> {
  const go = await renderWithGo(cases);
  const out: Mismatch[] = [];
  cases.forEach((c, i) => {
    const skiff = renderWithSkiff(c);
    if (skiff.output !== go[i].output || skiff.error !== go[i].error) {
      out.push({ case: c, go: go[i], skiff });
    }
  });
  return out;
}

/** A readable report of mismatches for an assertion message. */
export function describeMismatches(list: Mismatch[]): string {
  return list.map((m) =>
    `template: ${JSON.stringify(m.case.template)}${
      m.case.data ? ` data: ${JSON.stringify(m.case.data)}` : ""
    }\n` +
    `  go:    ${JSON.stringify(m.go)}\n  skiff: ${JSON.stringify(m.skiff)}`
  ).join("\n");
}
