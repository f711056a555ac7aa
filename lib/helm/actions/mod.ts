/**
 * Helm's release actions against a cluster: install, upgrade, rollback, uninstall and test,
 * with hooks (by weight, with delete policies, Jobs/Pods waited for), CRD policies, wait, and
 * the history kept in Helm's storage format (lib/helm/release).
 *
 * ```ts
 * const env = { client, engine: new ApplyEngine(client), storage: new ReleaseStorage(client, "apps") };
 * await install(env, { releaseName: "web", namespace: "apps", chart, values, timeoutMs: 300_000 });
 * await upgrade(env, { releaseName: "web", namespace: "apps", chart, values: next, timeoutMs });
 * await rollback(env, { releaseName: "web", namespace: "apps", timeoutMs });
 * await uninstall(env, { releaseName: "web", namespace: "apps", timeoutMs });
 * ```
 */
export type { ActionEnv } from "./env.ts";
export { type ActionReason, HelmActionError, HookFailedError } from "./errors.ts";
export type {
  ChartInput,
  DeployBehaviour,
  InstallOptions,
  ReleaseTarget,
  RollbackOptions,
  TestOptions,
  UninstallOptions,
  UpgradeOptions,
} from "./options.ts";
export type { CrdPolicy } from "./crds.ts";
export { install } from "./install.ts";
export { upgrade } from "./upgrade.ts";
export { rollback } from "./rollback.ts";
export { uninstall, type UninstallResult } from "./uninstall.ts";
export { test, type TestResult } from "./test.ts";
export { hooksFor, runHooks } from "./hooks.ts";
export { deployManifest, type DeployOptions, type DeployResult } from "./deploy.ts";
export { type RenderedRelease, renderRelease } from "./render.ts";
export { manifestObjects, markOwnership, withNamespaces } from "./manifest_objects.ts";
