/** One rendered document that is not a hook. */
export interface Manifest {
  /** The template it came from, e.g. "mychart/templates/deployment.yaml". */
  name: string;
  /** The document text, trimmed. */
  content: string;
  kind: string;
  apiVersion: string;
  metadataName: string;
}

export type HookEvent =
  | "pre-install"
  | "post-install"
  | "pre-delete"
  | "post-delete"
  | "pre-upgrade"
  | "post-upgrade"
  | "pre-rollback"
  | "post-rollback"
  | "test";

export type HookDeletePolicy = string;

/** A document annotated `helm.sh/hook`: run at a lifecycle event, not installed with the rest. */
export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: HookEvent[];
  weight: number;
  deletePolicies: HookDeletePolicy[];
}

/** A file of a chart's crds/ directory (installed once, never templated). */
export interface CrdFile {
  /** Path inside the chart, e.g. "crds/crd.yaml". */
  name: string;
  /** Path with the chart path, e.g. "mychart/charts/sub/crds/crd.yaml". */
  filename: string;
  content: string;
}
