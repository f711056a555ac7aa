// Helm's engine behaviours on small inline charts.
import assert from "node:assert/strict";
import { loadChartFiles } from "../../../../lib/helm/chart/mod.ts";
import {
  formatTemplateOutput,
  mergeValues,
  renderChart,
  renderChartLive,
  type RenderChartOptions,
  RenderError,
} from "../../../../lib/helm/mod.ts";
import {
  fromJson,
  fromYaml,
  fromYamlArray,
  toJson,
  toToml,
} from "../../../../lib/helm/engine/mod.ts";
import { goInt64 } from "../../../../lib/gotemplate/mod.ts";

const enc = new TextEncoder();

async function chartOf(files: Record<string, string>) {
  return await loadChartFiles(
    Object.entries({ "Chart.yaml": "apiVersion: v2\nname: t\nversion: 1.0.0\n", ...files })
      .map(([name, data]) => ({ name, data: enc.encode(data) })),
    "t",
  );
}

async function render(
  files: Record<string, string>,
  set: string[] = [],
  options: Partial<RenderChartOptions> = {},
): Promise<Map<string, string>> {
  const r = renderChart(await chartOf(files), mergeValues({ values: set }), {
    releaseName: "rel",
    ...options,
  });
  return new Map(r.manifests.map((m) => [m.name, m.content]));
}

Deno.test("values numbers are float64 as in Helm; --set integers are int64", async () => {
  const out = await render({
    "values.yaml": "num: 1000000\nf: 1.5\n",
    "templates/a.yaml": "a: {{ .Values.num }} {{ .Values.f }} {{ .Values.m }}",
  }, [
    "m=1000000",
  ]);
  assert.equal(out.get("t/templates/a.yaml"), "a: 1e+06 1.5 1000000");
});

Deno.test("built-in objects: .Release, .Chart, .Template, .Capabilities, .Subcharts", async () => {
  const out = await render(
    {
      "templates/a.yaml":
        "a: {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }} {{ .Release.IsInstall }} {{ .Release.Service }}\n" +
        "b: {{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.IsRoot }} {{ .Template.Name }} {{ .Template.BasePath }}\n" +
        'c: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v1" }}\n' +
        "d: {{ .Subcharts.sub.Values.v }} {{ .Subcharts.sub.Chart.IsRoot }}",
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
      "charts/sub/values.yaml": "v: from-sub\n",
    },
    [],
    { namespace: "ns", kubeVersion: "v1.29.3" },
  );
  assert.equal(
    out.get("t/templates/a.yaml"),
    "a: rel ns 1 true Helm\nb: t 1.0.0 true t/templates/a.yaml t/templates\nc: v1.29.3 29 true false\nd: from-sub false",
  );
});

Deno.test("partials are not rendered, blank output is dropped, <no value> is removed", async () => {
  const out = await render({
    "templates/_helpers.tpl": '{{ define "x" }}kind: X{{ end }}',
    "templates/_partial.yaml": "kind: Hidden",
    "templates/blank.yaml": "{{ if false }}kind: Never{{ end }}\n\n",
    "templates/a.yaml": "kind: A\nmissing: x{{ .Values.nope }}|{{ .Values.nope2 }}y",
  });
  assert.deepEqual([...out.keys()], ["t/templates/a.yaml"]);
  assert.equal(out.get("t/templates/a.yaml"), "kind: A\nmissing: x|y");
});

Deno.test("include and tpl see the whole template set; the parent's define wins", async () => {
  const out = await render({
    "values.yaml": 'msg: "{{ include \\"greet\\" . }} from tpl"\n',
    "templates/_h.tpl": '{{ define "greet" }}hello {{ .Release.Name }}{{ end }}',
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/templates/_h.tpl": '{{ define "greet" }}sub says hi{{ end }}',
    "templates/a.yaml":
      'a: {{ include "greet" . | upper }}\nb: {{ tpl .Values.msg . }}\nc: {{ tpl "{{ define \\"inner\\" }}in{{ end }}{{ include \\"inner\\" . }}" . }}',
  });
  assert.equal(out.get("t/templates/a.yaml"), "a: HELLO REL\nb: hello rel from tpl\nc: in");
});

Deno.test("errors read as Helm's: parse errors, required, fail, recursion", async () => {
  await assert.rejects(
    () => render({ "templates/a.yaml": "{{ nope }}" }),
    (e) =>
      e instanceof RenderError &&
      e.message === 'parse error at (t/templates/a.yaml:1): function "nope" not defined',
  );
  await assert.rejects(
    () => render({ "templates/a.yaml": 'x: {{ fail "stop here" }}' }),
    (e) =>
      e instanceof RenderError &&
      e.message === "execution error at (t/templates/a.yaml:1:6): stop here",
  );
  await assert.rejects(
    () =>
      render({
        "templates/a.yaml":
          '{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}',
      }),
    // One short error instead of Helm's chain of a thousand "error calling include" (the render
    // budget's choice, see lib/helm/engine/render.ts), still naming Helm's reason.
    (e) =>
      e instanceof RenderError &&
      /^rendering template has a nested reference name: loop: unable to execute template/.test(
        e.message,
      ),
  );
});

Deno.test("strict mode refuses missing keys; lookup can be given", async () => {
  await assert.rejects(
    () => render({ "templates/a.yaml": "{{ .Values.nope }}" }, [], { strict: true }),
    /map has no entry for key "nope"/,
  );
  const out = await render(
    {
      "templates/a.yaml": 'ip: {{ (lookup "v1" "Service" "default" "kubernetes").spec.clusterIP }}',
    },
    [],
    {
      lookup: (
        _a,
        kind,
        ns,
        name,
      ) => (kind === "Service" ? { spec: { clusterIP: `10.0.0.1/${ns}/${name}` } } : {}),
    },
  );
  assert.equal(out.get("t/templates/a.yaml"), "ip: 10.0.0.1/default/kubernetes");
});

Deno.test(".Files: Get, GetBytes, Glob, Lines, AsConfig, AsSecrets", async () => {
  const out = await render({
    "conf/a.conf": "alpha\n",
    "conf/sub/b.conf": "beta\n",
    "lines.txt": "one\ntwo\n",
    "templates/a.yaml": 'get: {{ .Files.Get "conf/a.conf" | trim }}\n' +
      'bytes: {{ len (.Files.GetBytes "conf/a.conf") }}\n' +
      'missing: [{{ .Files.Get "none" }}]\n' +
      'lines: {{ range .Files.Lines "lines.txt" }}<{{ . }}>{{ end }}\n' +
      'glob1:\n{{ (.Files.Glob "conf/*").AsConfig | indent 2 }}\n' +
      'glob2:\n{{ (.Files.Glob "conf/**.conf").AsSecrets | indent 2 }}\n' +
      'glob3: {{ (.Files.Glob "{lines.txt,none}").AsConfig | quote }}',
  });
  assert.equal(
    out.get("t/templates/a.yaml"),
    "get: alpha\nbytes: 6\nmissing: []\nlines: <one><two>\nglob1:\n  a.conf: |\n    alpha\n" +
      'glob2:\n  a.conf: YWxwaGEK\n  b.conf: YmV0YQo=\nglob3: "lines.txt: |\\n  one\\n  two"',
  );
});

Deno.test("fromYaml, fromJson and friends return errors inside the result", () => {
  assert.deepEqual(fromYaml("a: 1\nb: [x]\n"), { a: 1, b: ["x"] });
  assert.match(String(fromYaml("- a\n").Error), /cannot unmarshal array into Go value of type map/);
  assert.match(String(fromYaml("a: [").Error), /^error converting YAML to JSON: yaml: /);
  assert.deepEqual(fromYamlArray("- 1\n- two\n"), [1, "two"]);
  assert.deepEqual(fromJson('{"a": [1, 2.5]}'), { a: [1, 2.5] });
  assert.equal(typeof fromJson("{").Error, "string");
  assert.equal(
    toJson({ b: goInt64(3), a: 1e6, h: "<&>" }),
    '{"a":1000000,"b":3,"h":"\\u003c\\u0026\\u003e"}',
  );
  assert.equal(
    toToml({ title: "x", n: goInt64(2), owner: { name: "me" } }),
    'n = 2\ntitle = "x"\n\n[owner]\n  name = "me"\n',
  );
});

Deno.test("the output of helm template for a chart with a hook and a CRD", async () => {
  const chart = await chartOf({
    "crds/c.yaml": "kind: CustomResourceDefinition\n",
    "templates/a.yaml":
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# comment only\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n",
    "templates/hook.yaml":
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    "helm.sh/hook": post-install\n',
  });
  const r = renderChart(chart, {}, { releaseName: "x" });
  assert.equal(
    formatTemplateOutput(r, { includeCrds: true }),
    "---\n# Source: t/crds/c.yaml\nkind: CustomResourceDefinition\n\n" +
      "---\n# Source: t/templates/a.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n" +
      "---\n# Source: t/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n" +
      "---\n# Source: t/templates/a.yaml\n# comment only\n" +
      '---\n# Source: t/templates/hook.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    "helm.sh/hook": post-install\n',
  );
});

Deno.test("lookup against a live cluster renders again with the objects it asked for", async () => {
  const chart = await chartOf({
    "templates/a.yaml": '{{- $s := lookup "v1" "Secret" .Release.Namespace "db" }}\n' +
      '{{- $cm := lookup "v1" "ConfigMap" "kube-system" (dig "data" "cm" "bm9uZQ==" $s | b64dec) }}\n' +
      "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\ndata:\n" +
      '  password: {{ dig "data" "password" "generated" $s }}\n  region: {{ dig "data" "region" "unknown" $cm }}',
  });
  const asked: string[] = [];
  const r = await renderChartLive(
    chart,
    {},
    { releaseName: "x", namespace: "prod" },
    (_v, kind, ns, name) => {
      asked.push(`${kind} ${ns}/${name}`);
      if (kind === "Secret") {
        return Promise.resolve({
          data: { password: "c2VjcmV0", cm: btoa("settings") },
        });
      }
      return Promise.resolve(name === "settings" ? { data: { region: "eu-west-1" } } : {});
    },
  );
  assert.match(r.manifests[0].content, /password: c2VjcmV0\n {2}region: eu-west-1$/);
  assert.deepEqual(asked, [
    "Secret prod/db",
    "ConfigMap kube-system/none",
    "ConfigMap kube-system/settings",
  ]);
});
