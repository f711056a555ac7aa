// Options shared by the actions, named after Flux's HelmRelease fields they come from.
import type { Chart } from "../chart/mod.ts";
import type { Table } from "../values/mod.ts";
import type { CrdPolicy } from "./crds.ts";

export interface ReleaseTarget {
  releaseName: string;
  /** Where the chart's objects go (spec.targetNamespace). */
  namespace: string;
}

export interface ChartInput {
  chart: Chart;
  values: Table;
  /** Rewrites the rendered manifest before it is stored and applied (spec.postRenderers). */
  postRender?: (manifest: string) => string | Promise<string>;
  skipSchemaValidation?: boolean;
}

export interface DeployBehaviour {
  timeoutMs: number;
  /** Wait for every object to be ready (default true; Flux's disableWait turns it off). */
  wait?: boolean;
  waitForJobs?: boolean;
  disableHooks?: boolean;
  force?: boolean;
  /** Labels added to every applied object. */
  labels?: Record<string, string>;
}

export interface InstallOptions extends ReleaseTarget, ChartInput, DeployBehaviour {
  crds?: CrdPolicy;
  createNamespace?: boolean;
  /** Reuse the name of an uninstalled (history kept) or failed release (Helm's --replace). */
  replace?: boolean;
  /** Keep at most this many revisions (0 = all); matters when re-installing over history. */
  maxHistory?: number;
}

export interface UpgradeOptions extends ReleaseTarget, ChartInput, DeployBehaviour {
  crds?: CrdPolicy;
  maxHistory?: number;
  /** Merge the values over the current revision's (spec.upgrade.preserveValues). */
  reuseValues?: boolean;
  /** Delete objects this upgrade created when it fails (spec.upgrade.cleanupOnFail). */
  cleanupOnFail?: boolean;
}

export interface RollbackOptions extends ReleaseTarget, Omit<DeployBehaviour, "labels"> {
  /** Revision to roll back to; default the newest successful one before the current. */
  toVersion?: number;
  labels?: Record<string, string>;
  maxHistory?: number;
  /** Delete the Pods of updated workloads so they restart (Helm 3's --recreate-pods). */
  recreate?: boolean;
  /** Delete objects this rollback created when applying it fails (Helm's --cleanup-on-fail). */
  cleanupOnFail?: boolean;
}

export interface UninstallOptions extends ReleaseTarget {
  timeoutMs: number;
  disableHooks?: boolean;
  keepHistory?: boolean;
  /** Wait until the objects are gone (default true). */
  wait?: boolean;
  deletionPropagation?: "background" | "foreground" | "orphan";
}

export interface TestOptions extends ReleaseTarget {
  timeoutMs: number;
  /** Names to run (or, with exclude, to skip), from spec.test.filters. */
  filters?: { name: string; exclude?: boolean }[];
}
