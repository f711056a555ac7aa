// The key of the source a HelmRelease consumes, so its new revisions trigger a reconcile. Kept
// apart from chart_source.ts so the scheduler can know it without loading lib/helm.
import type { HelmRelease } from "../config/mod.ts";
import { objectKey } from "../status/mod.ts";

export function chartSourceKey(hr: HelmRelease): string {
  const ref = hr.spec.chartRef ?? hr.spec.chart!.spec.sourceRef;
  return objectKey(ref.kind, ref.namespace ?? hr.metadata.namespace, ref.name);
}
