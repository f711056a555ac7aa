// bench/helm: (1) render a 40-template chart with helpers 1,000 times warm, next to Go's
// text/template + Sprig doing the same work (the oracle program in tests/oracle/helmrender);
// (2) resolve two charts in a 30 MB index.yaml and report the extra resident memory.
import {
  clearRenderCaches,
  formatTemplateOutput,
  loadChart,
  renderChart,
} from "../../lib/helm/mod.ts";
import { buildOracle } from "../../tests/support/go.ts";
import { writeBenchChart } from "./chart_fixture.ts";
import { writeBigIndex } from "./make_index.ts";
import { MiB, rssPeak } from "./rss.ts";

const RENDERS = Number(Deno.env.get("HELM_BENCH_RENDERS") ?? 1000);
const dir = await Deno.makeTempDir({ prefix: "skiff-helm-bench-" });
try {
  const chartDir = `${dir}/bench`;
  await writeBenchChart(chartDir);
  const chart = await loadChart(chartDir);
  const render = () => formatTemplateOutput(renderChart(chart, {}, { releaseName: "bench" }));
  // The first render parses the templates and every document's YAML; later renders of the same
  // chart reuse the parsed templates and the heads of documents whose text did not change.
  const coldStart = performance.now();
  let out = render();
  const coldMs = performance.now() - coldStart;
  for (let i = 0; i < 50; i++) out = render();
  const started = performance.now();
  for (let i = 0; i < RENDERS; i++) out = render();
  const msPerRender = (performance.now() - started) / RENDERS;
  // The same work as Go's loop: templates parsed and every document decoded on each render.
  const uncachedRenders = Math.max(1, Math.floor(RENDERS / 5));
  const startedUncached = performance.now();
  for (let i = 0; i < uncachedRenders; i++) {
    clearRenderCaches();
    out = render();
  }
  const msUncached = (performance.now() - startedUncached) / uncachedRenders;
  const peak = rssPeak();

  const bin = await buildOracle("helmrender");
  const go = await new Deno.Command(bin, { args: [chartDir, String(RENDERS)] }).output();
  if (go.code !== 0) throw new Error(`Go oracle failed: ${new TextDecoder().decode(go.stderr)}`);
  const goResult = JSON.parse(new TextDecoder().decode(go.stdout)) as {
    msPerRender: number;
    output: string;
  };
  const docs = out.split("\n---\n").length;
  console.log(`render: 40 templates (${docs} documents), ${RENDERS} renders warm`);
  console.log(
    `  skiff ${msPerRender.toFixed(2)} ms/render, peak RSS ${MiB(peak)} MiB (first, cold: ${
      coldMs.toFixed(1)
    } ms)`,
  );
  console.log(
    `  skiff ${
      msUncached.toFixed(2)
    } ms/render with caches cleared before each render (${uncachedRenders} renders)`,
  );
  console.log(
    `  Go    ${
      goResult.msPerRender.toFixed(2)
    } ms/render (text/template + Sprig; parses every time)`,
  );
  const ratio = (ms: number) => (ms / goResult.msPerRender).toFixed(2);
  console.log(
    `  ratio skiff/Go ${ratio(msPerRender)} warm, ${
      ratio(msUncached)
    } without caches (target: < 20 ms, <= 2x)`,
  );
  console.log(`  output identical to Go's: ${goResult.output === out}`);

  const indexPath = `${dir}/index.yaml`;
  const bytes = await writeBigIndex(indexPath);
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./index_child.ts", import.meta.url).pathname, indexPath],
  }).output();
  if (child.code !== 0) throw new Error(new TextDecoder().decode(child.stderr));
  const r = JSON.parse(new TextDecoder().decode(child.stdout));
  console.log(`index: ${MiB(bytes)} MiB index.yaml, 2 charts wanted (${JSON.stringify(r.found)})`);
  console.log(
    `  scanned in ${r.ms.toFixed(0)} ms, extra RSS ${MiB(r.peak - r.baseline)} MiB (baseline ${
      MiB(r.baseline)
    } MiB, peak ${MiB(r.peak)} MiB; target < 60 MiB extra)`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
