// Templates that never end or grow without bound stop at the render budget with a clear error
// (lib/gotemplate's RenderBudget, used by lib/helm for a whole chart); the next render of a good
// chart is unaffected. The 5 s default time limit is scaled down to 1 s here to keep CI fast.
import assert from "node:assert/strict";
import { RenderBudgetError, type RenderLimits, Template } from "../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../lib/sprig/mod.ts";
import { loadChartArchive, renderChart, RenderError } from "../../lib/helm/mod.ts";
import { recordScenario } from "./record.ts";
import { rejectsWith } from "../support/rejects.ts";
import { CHART_YAML, gzip, tar } from "./tar_writer.ts";

const FAST: Partial<RenderLimits> = { maxDurationMs: 1000 };

async function chartWith(template: string, helpers = "") {
  return await loadChartArchive(
    await gzip(tar([
      { name: "app/Chart.yaml", content: CHART_YAML("app") },
      { name: "app/templates/_helpers.tpl", content: helpers },
      { name: "app/templates/main.yaml", content: template },
    ])),
    "app.tgz",
  );
}

// The size cases get a generous time budget: on a loaded machine the 1 s budget could stop them
// before they reach the size limit they are there to prove.
const SIZE_ONLY: Partial<RenderLimits> = { maxDurationMs: 60_000 };

async function renderFails(
  template: string,
  helpers = "",
  limits: Partial<RenderLimits> = FAST,
): Promise<RenderBudgetError> {
  const chart = await chartWith(template, helpers);
  const error = await rejectsWith(
    () => renderChart(chart, {}, { releaseName: "r", limits }),
    RenderError,
  );
  assert.ok(error.cause instanceof RenderBudgetError, `cause: ${error.cause}`);
  return error.cause;
}

async function goodChartStillRenders(): Promise<void> {
  const chart = await chartWith(
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n" +
      '{{- range until 100 }}\n  k{{ . }}: "{{ . }}"{{ end }}\n',
  );
  const out = renderChart(chart, {}, { releaseName: "good", limits: FAST });
  assert.equal(out.manifests.length, 1);
  assert.ok(out.manifests[0].content.includes('k99: "99"'));
}

function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  return fn().then((value) => ({ value, ms: performance.now() - start }));
}

Deno.test("an endless range stops at the time budget with the template position", async () => {
  const { value: error, ms } = await timed(() =>
    renderFails("{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}")
  );
  assert.equal(error.limit, "time");
  assert.match(error.message, /app\/templates\/main\.yaml:1:\d+/);
  assert.match(error.message, /render took longer than 1s/);
  assert.ok(ms < 3000, `stopped after ${ms} ms`);
  // Plain lib/gotemplate: the default budget applies to any Template, configurable per set.
  const t = new Template("t", { limits: { maxDurationMs: 300 } }).funcs(sprigFuncs())
    .parse("{{ range $i := until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}");
  await rejectsWith(() => t.execute({}), RenderBudgetError, "template: t:1:", "longer than");
  await goodChartStillRenders();
  await recordScenario("template-endless-range", {
    faultsInjected: 2,
    note: `stopped after ${Math.round(ms)} ms`,
  });
});

Deno.test("a list too large for memory is refused before it is built", async () => {
  const { value: error, ms } = await timed(() =>
    renderFails("{{ range until 100000000000 }}x{{ end }}")
  );
  assert.equal(error.limit, "list");
  assert.match(error.message, /error calling until: .*100000000000 elements is over the limit/);
  assert.ok(ms < 1000, `took ${ms} ms`);
  await rejectsWith(
    () =>
      new Template("t").funcs(sprigFuncs()).parse("{{ untilStep 0 99999999999 1 }}").execute({}),
    RenderBudgetError,
    "untilStep",
  );
  await goodChartStillRenders();
  await recordScenario("template-huge-until", { faultsInjected: 2 });
});

Deno.test("output beyond the size budget stops the render", async () => {
  const repeat = await renderFails('{{ repeat 100000000 "x" }}', "", SIZE_ONLY);
  assert.equal(repeat.limit, "output");
  assert.match(repeat.message, /repeat: a string of 100000000 characters/);
  const nested = await renderFails(
    "{{ range until 1000000 }}{{ range until 1000 }}0123456789012345678901234567890{{ end }}{{ end }}",
    "",
    SIZE_ONLY,
  );
  assert.equal(nested.limit, "output");
  assert.match(nested.message, /render output of \d+ characters is over the limit of 52428800/);
  // Output grown through include (a string returned by a function) counts too.
  const included = await renderFails(
    '{{ $s := include "big" . }}{{ $s }}{{ $s }}{{ $s }}',
    '{{ define "big" }}{{ range until 1000000 }}0123456789012345678{{ end }}{{ end }}',
    SIZE_ONLY,
  );
  assert.equal(included.limit, "output");
  await goodChartStillRenders();
  await recordScenario("template-output-bomb", { faultsInjected: 3 });
});

Deno.test("include recursion ends in one short error naming the template", async () => {
  const { value: error, ms } = await timed(() =>
    renderFails('{{ include "loop" . }}', '{{ define "loop" }}x{{ include "loop" . }}{{ end }}')
  );
  assert.equal(error.limit, "depth");
  assert.match(error.message, /nested reference name: loop/);
  assert.ok(error.message.length < 400, `${error.message.length} characters`);
  assert.ok(ms < 2000, `took ${ms} ms`);
  // Mutual recursion through tpl is caught the same way.
  const viaTpl = await renderFails(
    '{{ include "a" . }}',
    '{{ define "a" }}{{ tpl "{{ include \\"a\\" . }}" . }}{{ end }}',
  );
  assert.ok(viaTpl.message.length < 400, viaTpl.message.slice(0, 400));
  await goodChartStillRenders();
  await recordScenario("template-include-recursion", { faultsInjected: 2 });
});

Deno.test("budgets are per render: good charts render normally between hostile ones", async () => {
  for (let i = 0; i < 3; i++) {
    await renderFails("{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}");
    await goodChartStillRenders();
  }
  await recordScenario("template-recovery", { faultsInjected: 3 });
});
