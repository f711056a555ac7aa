// bench/gotemplate: raw template execution of a 40-manifest chart-shaped template set, skiff's
// lib/gotemplate + lib/sprig against Go's text/template + Sprig (the test oracle), same run.
// Prints ms per render (all 40 manifests once) for both, and the ratio.
import { parse as parseYaml } from "yaml";
import { fromPlain, Template, typed } from "../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../lib/sprig/mod.ts";
import { runOracle } from "../../tests/support/go.ts";
import { chartTemplates, VALUES } from "./chart.ts";

const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 1000);
const templates = chartTemplates();
const manifests = Object.keys(templates).filter((n) => !n.endsWith(".tpl"));
const dataYaml = "Values:\n" + VALUES.split("\n").map((l) => "  " + l).join("\n");

function buildSkiff(): Template {
  const root = new Template("web");
  root.funcs(sprigFuncs()).funcs({
    include: typed(
      ["string", "any"],
      (name: string, data: unknown) => root.executeTemplate(name, data),
    ),
  });
  root.parse("");
  for (const [name, text] of Object.entries(templates)) root.new(name).parse(text);
  return root;
}

function renderAll(t: Template, data: unknown): string {
  let out = "";
  for (const name of manifests) out += t.executeTemplate(name, data);
  return out;
}

const data = fromPlain(parseYaml(dataYaml, { version: "1.1" }));
const parseStart = performance.now();
const t = buildSkiff();
const parseMs = performance.now() - parseStart;
const skiffOut = renderAll(t, data);
for (let i = 0; i < 50; i++) renderAll(t, data); // warm-up

// The machine may be shared: alternate skiff and Go in rounds and keep each side's best round,
// so a load spike during one side's turn does not decide the ratio.
const ROUNDS = 5;
const perRound = Math.max(1, Math.floor(RUNS / ROUNDS));
const parsePerRound = Math.max(1, Math.floor(perRound / 10));
const goCase = {
  name: "web",
  template: "",
  templates,
  data: dataYaml,
  helm: true,
  executeAll: manifests,
};
let skiffMs = Infinity;
let goMs = Infinity;
let skiffParseRenderMs = Infinity;
let goParseRenderMs = Infinity;
let goOutput = "";
for (let round = 0; round < ROUNDS; round++) {
  let start = performance.now();
  for (let i = 0; i < perRound; i++) renderAll(t, data);
  skiffMs = Math.min(skiffMs, (performance.now() - start) / perRound);
  // Helm parses the whole set again for every render: measure that too.
  start = performance.now();
  for (let i = 0; i < parsePerRound; i++) renderAll(buildSkiff(), data);
  skiffParseRenderMs = Math.min(skiffParseRenderMs, (performance.now() - start) / parsePerRound);
  const [go, goParse] = JSON.parse(
    await runOracle(
      "gotemplate",
      JSON.stringify([
        { ...goCase, benchRuns: perRound },
        { ...goCase, benchRuns: parsePerRound, benchParse: true },
      ]),
    ),
  ) as { output?: string; error?: string; nanosPerRun?: number }[];
  if (go.error) throw new Error(`Go failed: ${go.error}`);
  goOutput = go.output!;
  goMs = Math.min(goMs, go.nanosPerRun! / 1e6);
  goParseRenderMs = Math.min(goParseRenderMs, goParse.nanosPerRun! / 1e6);
}

console.log(`templates: ${Object.keys(templates).length} (40 manifests + helpers)`);
console.log(
  `runs: ${ROUNDS} rounds of ${perRound} renders (${parsePerRound} with parsing), best round`,
);
console.log(`output identical to Go: ${goOutput === skiffOut} (${skiffOut.length} bytes)`);
console.log(`parse (skiff, first time): ${parseMs.toFixed(1)} ms`);
console.log(
  `execute only: skiff ${skiffMs.toFixed(3)} ms, go ${goMs.toFixed(3)} ms per render, ` +
    `ratio ${(skiffMs / goMs).toFixed(2)}x`,
);
console.log(
  `parse + execute (Helm style): skiff ${skiffParseRenderMs.toFixed(3)} ms, ` +
    `go ${goParseRenderMs.toFixed(3)} ms, ratio ${
      (skiffParseRenderMs / goParseRenderMs).toFixed(2)
    }x`,
);
if (goOutput !== skiffOut) Deno.exit(1);
