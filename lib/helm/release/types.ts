// A Helm 3 release exactly as Helm serialises it (helm.sh/helm/v3/pkg/release): field names,
// omitempty rules and time formats follow Helm's JSON, so a release written here decodes in
// `helm` and one written by `helm` or helm-controller decodes here without loss.

/** Helm's release.Status values. */
export type ReleaseStatus =
  | "unknown"
  | "deployed"
  | "uninstalled"
  | "superseded"
  | "failed"
  | "uninstalling"
  | "pending-install"
  | "pending-upgrade"
  | "pending-rollback";

/** Go's zero time.Time as encoding/json writes it (Helm always writes `info.deleted`). */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

export interface ReleaseInfo {
  /** RFC 3339 timestamps, kept as text so Helm's nanoseconds and offsets survive a round trip. */
  first_deployed?: string;
  last_deployed?: string;
  deleted: string;
  description?: string;
  status?: ReleaseStatus;
  notes?: string;
  /** Only set by `helm status --show-resources`; never stored by Helm, kept if present. */
  resources?: Record<string, unknown>;
}

export type HookPhase = "Unknown" | "Running" | "Succeeded" | "Failed";

export interface HookExecution {
  started_at?: string;
  completed_at?: string;
  phase: HookPhase | "";
}

/** release.Hook: a hook document and the result of its last run. */
export interface ReleaseHook {
  name?: string;
  kind?: string;
  path?: string;
  manifest?: string;
  events?: string[];
  last_run: HookExecution;
  weight?: number;
  delete_policies?: string[];
}

/** chart.File: `data` is the file's bytes in base64, as Go encodes []byte. */
export interface ChartFileJson {
  name: string;
  data: string;
}

/** chart.Chart as JSON (subcharts and the parent are not serialised by Helm). */
export interface ChartJson {
  metadata?: Record<string, unknown>;
  lock?: unknown;
  templates?: ChartFileJson[];
  values?: Record<string, unknown>;
  /** values.schema.json in base64. */
  schema?: string | null;
  files?: ChartFileJson[];
}

export interface Release {
  name: string;
  info: ReleaseInfo;
  chart?: ChartJson;
  /** The user-supplied values (Helm's `config`), not merged with the chart's defaults. */
  config?: Record<string, unknown>;
  manifest?: string;
  hooks?: ReleaseHook[];
  version: number;
  namespace: string;
}
