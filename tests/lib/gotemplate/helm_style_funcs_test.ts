// Helm builds include/tpl/required on this library as closures over the template set. These
// tests build them the same way and compare with the oracle's Go versions, to prove the API
// (clone, new, executeTemplate, nested error wrapping) supports them exactly.
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { fromPlain, GoFuncError, Template, typed } from "../../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../../lib/sprig/mod.ts";
import { type OracleCase, renderWithGo } from "../../support/gotemplate_oracle.ts";

function helmTemplate(name: string): Template {
  const t = new Template(name, { missingKey: "zero" });
  const funcsFor = (set: Template) => ({
    include: typed(["string", "any"], (n: string, data: unknown) => set.executeTemplate(n, data)),
    tpl: typed(["string", "any"], (text: string, vals: unknown) => {
      const clone = set.clone().option("zero");
      clone.funcs(funcsFor(clone));
      let parsed: Template;
      try {
        parsed = clone.new(set.name).parse(text);
      } catch (e) {
        throw new GoFuncError(
          `cannot parse template ${JSON.stringify(text)}: ${(e as Error).message}`,
        );
      }
      try {
        return parsed.execute(vals).replaceAll("<no value>", "");
      } catch (e) {
        throw new GoFuncError(
          `error during tpl function execution for ${JSON.stringify(text)}: ${
            (e as Error).message
          }`,
        );
      }
    }),
    required: typed(["string", "any"], (warn: string, v: unknown) => {
      if (v === null || v === undefined || v === "") throw new GoFuncError(warn);
      return v;
    }),
  });
  return t.funcs(sprigFuncs()).funcs(funcsFor(t));
}

function renderHelmStyle(c: OracleCase): { output?: string; error?: string } {
  try {
    const t = helmTemplate(c.name ?? "t");
    t.parse(c.template);
    for (const [n, text] of Object.entries(c.templates ?? {})) t.new(n).parse(text);
    const data = c.data ? fromPlain(parseYaml(c.data, { version: "1.1" })) : undefined;
    return { output: t.execute(data).replaceAll("<no value>", "") };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const DATA =
  "name: demo\nimage: {repo: nginx, tag: '1.25'}\ntplValue: '{{ .name }}-x'\nbad: '{{ .name.x.y }}'";

const CASES: OracleCase[] = [
  { template: '{{ define "h" }}[{{ .name }}]{{ end }}{{ include "h" . | upper }}', data: DATA },
  {
    template:
      '{{ define "h" }}{{ .image.repo }}:{{ .image.tag }}{{ end }}{{ include "h" . | quote }}',
    data: DATA,
  },
  { template: '{{ include "missing" . }}', data: DATA },
  { template: '{{ define "h" }}{{ .nope.deeper }}{{ end }}{{ include "h" . }}', data: DATA },
  { template: "{{ tpl .tplValue . }}", data: DATA },
  { template: '{{ tpl "{{ .missing }}|{{ .name }}" . }}', data: DATA },
  { template: "{{ tpl .bad . }}", data: DATA },
  { template: '{{ tpl "{{ .name" . }}', data: DATA },
  {
    template: '{{ define "h" }}H{{ . }}{{ end }}{{ tpl "{{ include \\"h\\" 1 }}" . }}',
    data: DATA,
  },
  { template: '{{ required "name is required" .name }} {{ required "x needed" .x }}', data: DATA },
  { template: '{{ required "empty!" "" }}', data: DATA },
  { template: "{{ .missing }}|{{ .missing.deeper }}", data: DATA },
  { template: '{{ include "other" . }}', templates: { other: "{{ .name | title }}" }, data: DATA },
];

Deno.test("include, tpl and required built on the public API behave like Helm's", async () => {
  const go = await renderWithGo(CASES.map((c) => ({ ...c, helm: true })));
  const diffs = CASES.map((c, i) => ({ c, go: go[i], skiff: renderHelmStyle(c) }))
    .filter((d) => d.go.output !== d.skiff.output || d.go.error !== d.skiff.error);
  assert.deepEqual(diffs, []);
});
