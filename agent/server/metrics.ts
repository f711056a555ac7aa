// Prometheus metrics in the text format, with Flux's names and labels where Flux has them
// (gotk_reconcile_condition, gotk_reconcile_duration_seconds, gotk_suspend_status) so existing
// dashboards and alerts work, plus skiff's own.
import type { AgentCore } from "../agent.ts";
import type { DriftCounters } from "../drift/mod.ts";
import { parseObjectKey } from "../status/mod.ts";

const BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class Metrics implements DriftCounters {
  readonly #core: AgentCore;
  readonly #durations = new Map<string, Histogram>();
  readonly #gitFetch = new Map<string, Histogram>();
  readonly #ociPull = new Map<string, Histogram>();
  readonly #applied = new Map<string, number>();
  readonly #drift = new Map<string, number>();
  readonly #sources: (() => string[])[] = [];

  constructor(core: AgentCore) {
    this.#core = core;
    core.onOutcome((key, outcome, durationMs) => {
      observe(this.#durations, key, durationMs / 1000);
      if (key.startsWith("GitRepository/")) observe(this.#gitFetch, key, durationMs / 1000);
      if (key.startsWith("OCIRepository/")) observe(this.#ociPull, key, durationMs / 1000);
      for (const c of outcome.changes ?? []) {
        if (c.action === "unchanged" || c.action === "skipped") continue;
        const k = `${key}|${c.action}`;
        this.#applied.set(k, (this.#applied.get(k) ?? 0) + 1);
      }
    });
  }

  /** Adds lines another part renders (the presence record's conflict metrics). */
  addSource(lines: () => string[]): void {
    this.#sources.push(lines);
  }

  driftDetected(key: string): void {
    this.#count(`${key}|detected`);
  }
  driftCorrected(key: string): void {
    this.#count(`${key}|corrected`);
  }
  driftFight(key: string): void {
    this.#count(`${key}|fight`);
  }

  #count(k: string): void {
    this.#drift.set(k, (this.#drift.get(k) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    out.push(
      "# HELP gotk_reconcile_condition The current condition status of a GitOps Toolkit resource reconciliation.",
      "# TYPE gotk_reconcile_condition gauge",
    );
    for (const s of this.#core.statuses.all()) {
      for (const status of ["True", "False", "Unknown", "Deleted"]) {
        out.push(
          `gotk_reconcile_condition${
            labels({ kind: s.kind, name: s.name, namespace: s.namespace, type: "Ready", status })
          } ${s.ready === status ? 1 : 0}`,
        );
      }
    }
    out.push(
      "# HELP gotk_suspend_status The current suspend status of a GitOps Toolkit resource.",
      "# TYPE gotk_suspend_status gauge",
    );
    for (const s of this.#core.statuses.all()) {
      out.push(
        `gotk_suspend_status${labels({ kind: s.kind, name: s.name, namespace: s.namespace })} ${
          s.suspended ? 1 : 0
        }`,
      );
    }
    histogram(
      out,
      "gotk_reconcile_duration_seconds",
      "The duration in seconds of a GitOps Toolkit resource reconciliation.",
      this.#durations,
    );
    histogram(
      out,
      "skiff_git_fetch_duration_seconds",
      "Duration of GitRepository fetches.",
      this.#gitFetch,
    );
    histogram(
      out,
      "skiff_oci_pull_duration_seconds",
      // A run that finds the revision unchanged counts too: then it is the manifest alone.
      "Duration of OCIRepository pulls (manifest, and the layer when the revision changed).",
      this.#ociPull,
    );
    out.push(
      "# HELP skiff_applied_objects_total Objects created, configured or deleted by skiff.",
      "# TYPE skiff_applied_objects_total counter",
    );
    for (const [k, v] of this.#applied) {
      const [key, action] = k.split("|");
      out.push(`skiff_applied_objects_total${labels({ ...objectLabels(key), action })} ${v}`);
    }
    out.push(
      "# HELP skiff_drift_events_total Changes made outside Git to objects skiff applied, by what skiff did.",
      "# TYPE skiff_drift_events_total counter",
    );
    for (const [k, v] of this.#drift) {
      const [key, result] = k.split("|");
      out.push(`skiff_drift_events_total${labels({ ...objectLabels(key), result })} ${v}`);
    }
    for (const lines of this.#sources) out.push(...lines());
    const stats = this.#core.client.transport.stats;
    out.push(
      "# HELP skiff_kube_api_requests_total Requests skiff sent to the Kubernetes API.",
      "# TYPE skiff_kube_api_requests_total counter",
    );
    for (const [method, n] of Object.entries(stats.byMethod)) {
      out.push(`skiff_kube_api_requests_total${labels({ method })} ${n}`);
    }
    const memory = Deno.memoryUsage();
    out.push(
      "# HELP process_resident_memory_bytes Resident memory size in bytes.",
      "# TYPE process_resident_memory_bytes gauge",
      `process_resident_memory_bytes ${memory.rss}`,
      "# HELP skiff_heap_used_bytes JavaScript heap in use.",
      "# TYPE skiff_heap_used_bytes gauge",
      `skiff_heap_used_bytes ${memory.heapUsed}`,
      // With RSS these tell where memory goes: the V8 heap reserved for JavaScript, and memory
      // outside it (buffers held by JavaScript objects).
      "# HELP skiff_heap_total_bytes JavaScript heap reserved by V8.",
      "# TYPE skiff_heap_total_bytes gauge",
      `skiff_heap_total_bytes ${memory.heapTotal}`,
      "# HELP skiff_external_memory_bytes Memory outside the JavaScript heap held by its objects.",
      "# TYPE skiff_external_memory_bytes gauge",
      `skiff_external_memory_bytes ${memory.external}`,
    );
    return out.join("\n") + "\n";
  }
}

function objectLabels(key: string): Record<string, string> {
  const { kind, namespace, name } = parseObjectKey(key);
  return { kind, name, namespace };
}

function observe(map: Map<string, Histogram>, key: string, seconds: number): void {
  let h = map.get(key);
  if (!h) map.set(key, h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 });
  BUCKETS.forEach((b, i) => {
    if (seconds <= b) h!.counts[i]++;
  });
  h.sum += seconds;
  h.count++;
}

function histogram(out: string[], name: string, help: string, map: Map<string, Histogram>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  for (const [key, h] of map) {
    const l = objectLabels(key);
    BUCKETS.forEach((b, i) =>
      out.push(`${name}_bucket${labels({ ...l, le: String(b) })} ${h.counts[i]}`)
    );
    out.push(`${name}_bucket${labels({ ...l, le: "+Inf" })} ${h.count}`);
    out.push(`${name}_sum${labels(l)} ${h.sum}`);
    out.push(`${name}_count${labels(l)} ${h.count}`);
  }
}

function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(([k, v]) =>
    `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`
  );
  return `{${parts.join(",")}}`;
}
