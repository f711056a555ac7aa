// `lookup` against a live cluster. Templates run synchronously but a cluster answers
// asynchronously, so the chart is rendered in passes: each pass records the objects its
// templates looked up and did not have yet, those are fetched, and the chart is rendered again
// with them, until a pass asks for nothing new (charts rarely chain more than one lookup).
import type { Table } from "./values/mod.ts";
import { renderChart, type RenderChartOptions, type RenderedChart } from "./render_chart.ts";
import type { Chart } from "./chart/mod.ts";

/** Fetches one object (name set) or a list (name ""), `{}` when absent, as Helm's lookup. */
export type AsyncLookup = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
) => Promise<Table>;

export class LookupPassesError extends Error {
  override readonly name = "LookupPassesError";
  constructor(readonly passes: number) {
    super(
      `the chart still looked up new objects after ${passes} render passes; are lookups chained endlessly?`,
    );
  }
}

export async function renderChartLive(
  chart: Chart,
  values: Table,
  options: Omit<RenderChartOptions, "lookup">,
  lookup: AsyncLookup,
  maxPasses = 4,
): Promise<RenderedChart> {
  const known = new Map<string, Table>();
  for (let pass = 1; pass <= maxPasses; pass++) {
    const missing = new Map<string, [string, string, string, string]>();
    const rendered = renderChart(chart, values, {
      ...options,
      lookup: (apiVersion, kind, namespace, name) => {
        const key = JSON.stringify([apiVersion, kind, namespace, name]);
        const hit = known.get(key);
        if (hit) return hit;
        missing.set(key, [apiVersion, kind, namespace, name]);
        return {};
      },
    });
    if (missing.size === 0) return rendered;
    await Promise.all(
      [...missing].map(async ([key, args]) => known.set(key, await lookup(...args))),
    );
  }
  throw new LookupPassesError(maxPasses);
}
