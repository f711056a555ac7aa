// HelmRelease, as helm-controller reconciles it: the state a previous run (or agent) stored →
// chart from its source → values (valuesFrom, then values) → a release made under other names,
// or of a chart with another name, uninstalled → compare with the stored release → install,
// upgrade, or nothing → tests → remediation (uninstall after a failed install, rollback or
// uninstall after a failed upgrade, within the retry budget) → drift detection → status, stored.
// Only a new chart version (or source revision under reconcileStrategy Revision), changed values
// or post-renderers, or a forceAt request trigger an upgrade.
import type { HelmRelease } from "../config/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import {
  type ActionEnv,
  HelmActionError,
  install,
  rollback,
  test as helmTest,
  uninstall,
  upgrade,
} from "../../lib/helm/actions/mod.ts";
import { type Release, ReleaseStorage } from "../../lib/helm/release/mod.ts";
import {
  ChartRenderError,
  RenderError,
  SchemaValidationError,
  ValuesError,
} from "../../lib/helm/mod.ts";
import {
  ChartSourceError,
  composeValues,
  detectDrift,
  fetchChart,
  type FetchedChart,
  forgetHelmReleaseState,
  helmReleaseLabels,
  type HelmReleaseState,
  helmReleaseState,
  mergeMaps,
  persistState,
  postRendererFor,
  postRenderersDigest,
  type ReleaseCoordinates,
  removeState,
  restoreState,
  sameRelease,
  setCondition,
  snapshotOf,
  valuesDigest,
  ValuesReferenceError,
} from "../helmrelease/mod.ts";
import { ApplyEngine } from "../../lib/kube/mod.ts";
import { SourceNotReadyError } from "../sources/mod.ts";
import { objectKey } from "../status/mod.ts";
import { dependenciesReady } from "./dependencies.ts";
import { helmReleaseDependencies, helmReleaseReconciler } from "./helm_release_entry.ts";
import type { Outcome, ReconcileEnv, RunContext } from "./types.ts";

const DEPENDENCY_REQUEUE_MS = 30_000;

export { helmReleaseLabels, helmReleaseReconciler };

function actionEnvOf(
  hr: HelmRelease,
  env: ReconcileEnv,
  storageNamespace = hr.spec.storageNamespace,
): ActionEnv {
  // spec.serviceAccountName: every call (storage, hooks, apply) is made as that account, so
  // its RBAC bounds what the release can touch, as with helm-controller's impersonation.
  const sa = hr.spec.serviceAccountName;
  const client = sa
    ? env.client.impersonating({
      user: `system:serviceaccount:${hr.metadata.namespace}:${sa}`,
      groups: [
        "system:serviceaccounts",
        `system:serviceaccounts:${hr.metadata.namespace}`,
        "system:authenticated",
      ],
    })
    : env.client;
  return {
    client,
    engine: sa ? new ApplyEngine(client, { fieldManager: env.engine.fieldManager }) : env.engine,
    storage: new ReleaseStorage(client, storageNamespace),
    log: (m) => env.logger.info(m, { helmrelease: keyOf(hr) }),
  };
}

function keyOf(hr: HelmRelease): string {
  return objectKey("HelmRelease", hr.metadata.namespace, hr.metadata.name);
}

function ms(d: string | undefined, fallback: string): number {
  return parseDurationMillis(d ?? fallback);
}

/** Retries exhausted: failures beyond the budget (a negative budget never runs out). */
function exhausted(failures: number, retries: number): boolean {
  return retries >= 0 && failures > retries;
}

/** Flux's annotation for "start the remediation retries over" (`flux reconcile --reset`). */
const RESET_ANNOTATION = "reconcile.fluxcd.io/resetAt";
/** Flux's annotation for "make a release now, even in sync" (`flux reconcile --force`). */
const FORCE_ANNOTATION = "reconcile.fluxcd.io/forceAt";

export async function reconcileHelmRelease(
  hr: HelmRelease,
  env: ReconcileEnv,
  run: RunContext,
): Promise<Outcome> {
  const key = keyOf(hr);
  const state = helmReleaseState(env, key);
  const ref = { namespace: hr.metadata.namespace, name: hr.metadata.name };
  // The counters a previous agent left: a restart must not grant a fresh retry budget.
  if (state.persisted === undefined) await restoreState(env, ref, state);
  const resetAt = hr.metadata.annotations?.[RESET_ANNOTATION];
  if (resetAt !== undefined && resetAt !== state.lastHandledResetAt) {
    state.installFailures = 0;
    state.upgradeFailures = 0;
    state.lastHandledResetAt = resetAt;
  }
  let outcome: Outcome | undefined;
  try {
    outcome = await reconcileSteps(hr, env, run, state, key);
    return outcome;
  } finally {
    if (outcome?.ready === "True") state.failures = 0;
    else if (outcome?.reason !== "DependencyNotReady") state.failures++;
    try {
      await persistState(env, ref, state);
    } catch (e) {
      // The release itself is done; only a restart before the next write would lose counts.
      env.logger.warn(`cannot store the release state: ${errorMessage(e)}`, {
        helmrelease: key,
      });
    }
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function reconcileSteps(
  hr: HelmRelease,
  env: ReconcileEnv,
  run: RunContext,
  state: HelmReleaseState,
  key: string,
): Promise<Outcome> {
  const deps = dependenciesReady(
    key,
    helmReleaseDependencies(hr),
    () => undefined,
    env.statuses,
    env.artifacts,
  );
  if (!deps.ready) {
    return {
      ready: "False",
      reason: "DependencyNotReady",
      message: deps.message,
      requeueAfterMs: DEPENDENCY_REQUEUE_MS,
    };
  }

  let fetched: FetchedChart;
  let values;
  try {
    fetched = await fetchChart(hr, env); //                      fails: ArtifactFailed
    values = await composeValues(hr, env); //                       fails: InitFailed
  } catch (e) {
    if (e instanceof ChartSourceError || e instanceof SourceNotReadyError) {
      return fail(state, "ArtifactFailed", e.message);
    }
    if (e instanceof ValuesReferenceError) return fail(state, "InitFailed", e.message);
    throw e;
  }
  const digest = await valuesDigest(values);
  const actions = actionEnvOf(hr, env);
  const releaseName = hr.spec.releaseName;
  const namespace = hr.spec.targetNamespace;
  const here = { name: releaseName, namespace, storageNamespace: hr.spec.storageNamespace };
  const cleared = await clearOldRelease(hr, env, actions, state, here, fetched.chart.metadata.name);
  if (cleared) return fail(state, "UninstallFailed", cleared.message, fetched);
  const history = await actions.storage.history(releaseName);
  if (history.length > 0) state.release = here;
  const last = history.at(-1);
  state.lastAttemptedRevision = fetched.revision;
  state.lastAttemptedValuesDigest = digest;

  const attempt = { chartVersion: fetched.version, valuesDigest: digest };
  if (
    state.lastAttempted?.chartVersion !== attempt.chartVersion ||
    state.lastAttempted?.valuesDigest !== attempt.valuesDigest
  ) {
    state.installFailures = 0;
    state.upgradeFailures = 0;
    state.lastAttempted = attempt;
  }

  // Flux's observedPostRenderersDigest: new post-renderers (or commonMetadata) re-render.
  const renderDigest = hr.spec.postRenderers?.length || hr.spec.commonMetadata
    ? await postRenderersDigest(hr)
    : undefined;
  const inSync = last !== undefined && last.info.status === "deployed" &&
    state.observedPostRenderersDigest === renderDigest &&
    String(last.chart?.metadata?.version ?? "") === fetched.version &&
    String(last.chart?.metadata?.name ?? "") === fetched.chart.metadata.name &&
    await valuesDigest(last.config ?? {}) ===
      // With preserveValues the stored config is the new values over the old ones.
      (hr.spec.upgrade.preserveValues
        ? await valuesDigest(mergeMaps(last.config ?? {}, values))
        : digest);
  // Flux's forceAt annotation: a new value asks for one install or upgrade now, in sync or not
  // and whatever the retry budget says.
  const forceAt = hr.metadata.annotations?.[FORCE_ANNOTATION];
  const forced = forceAt !== undefined && forceAt !== state.lastHandledForceAt;
  if (forced) state.lastHandledForceAt = forceAt;
  if (inSync && !forced) {
    state.history = history.map((r) => snapshotOf(r)).reverse();
    return await whenInSync(hr, env, actions, state, last!, fetched, run);
  }

  const installing = !last || last.info.status === "uninstalled";
  const installRetries = hr.spec.install.remediation.retries;
  const upgradeRetries = hr.spec.upgrade.remediation.retries;
  // Flux checks the budget of the action attempted last (a failed install is retried as an
  // upgrade, but still on the install budget), before doing anything.
  const active = state.lastAction ?? (installing ? "install" : "upgrade");
  // Under RetryOnFailure there is no budget: the action is retried until it succeeds.
  const budgeted = !forced && !retryOnFailure(hr, active === "install");
  if (budgeted && active === "install" && exhausted(state.installFailures, installRetries)) {
    return fail(
      state,
      "InstallFailed",
      `install retries exhausted (${installRetries})${lastFailure(state)}`,
      fetched,
    );
  }
  if (budgeted && active === "upgrade" && exhausted(state.upgradeFailures, upgradeRetries)) {
    return fail(
      state,
      "UpgradeFailed",
      `upgrade retries exhausted (${upgradeRetries})${lastFailure(state)}`,
      fetched,
    );
  }
  state.lastAction = installing ? "install" : "upgrade";
  state.release = here;

  const common = {
    releaseName,
    namespace,
    chart: fetched.chart,
    values,
    labels: helmReleaseLabels(hr),
    postRender: postRendererFor(hr),
    maxHistory: hr.spec.maxHistory,
  };
  let release: Release;
  try {
    if (installing) {
      const o = hr.spec.install;
      release = await install(actions, { //                         fails: InstallFailed
        ...common,
        ...actionSettings(o, hr.spec.timeout),
        createNamespace: o.createNamespace,
        replace: o.replace,
      });
    } else {
      const o = hr.spec.upgrade;
      release = await upgrade(actions, { //                         fails: UpgradeFailed
        ...common,
        ...actionSettings(o, hr.spec.timeout),
        force: o.force,
        reuseValues: o.preserveValues,
        cleanupOnFail: o.cleanupOnFail,
      });
    }
  } catch (e) {
    // The chart did not render (template, values, schema): nothing was written, so there is
    // nothing to remediate; it still counts against the retries, as a failed action does.
    if (isRenderFailure(e)) return renderFailed(hr, state, installing, e, fetched);
    if (!(e instanceof HelmActionError)) throw e;
    return await remediate(hr, env, actions, state, installing, e, fetched);
  }
  state.observedPostRenderersDigest = renderDigest;
  const action = installing ? "install" : "upgrade";
  const reason = installing ? "InstallSucceeded" : "UpgradeSucceeded";
  const message =
    `Helm ${action} succeeded for release ${namespace}/${releaseName}.v${release.version} with chart ${fetched.chart.metadata.name}@${fetched.version}`;
  setCondition(state, "Released", "True", reason, message);
  // A successful action clears the record of an earlier remediation, as Flux does.
  state.conditions = state.conditions.filter((c) => c.type !== "Remediated");

  if (hr.spec.test.enable) {
    const tested = await runTests(hr, actions, state, namespace); //   fails: TestFailed
    const ignore = hr.spec.test.ignoreFailures ||
      (installing
        ? hr.spec.install.remediation.ignoreTestFailures
        : hr.spec.upgrade.remediation.ignoreTestFailures);
    if (!tested.passed && !ignore) {
      const err = new HelmActionError("TestFailed", releaseName, namespace, tested.message);
      return await remediate(hr, env, actions, state, installing, err, fetched);
    }
  }
  state.history = (await actions.storage.history(releaseName)).map((r) =>
    snapshotOf(r, r.version === release.version ? digest : undefined)
  ).reverse();
  setCondition(state, "Ready", "True", reason, message);
  return {
    ready: "True",
    reason,
    message,
    revision: fetched.revision,
    attemptedRevision: fetched.revision,
    applied: true,
  };
}

async function whenInSync(
  hr: HelmRelease,
  env: ReconcileEnv,
  actions: ActionEnv,
  state: HelmReleaseState,
  last: Release,
  fetched: FetchedChart,
  _run: RunContext,
): Promise<Outcome> {
  const mode = hr.spec.driftDetection.mode;
  let message =
    `Helm release ${last.namespace}/${last.name}.v${last.version} with chart ${fetched.chart.metadata.name}@${fetched.version} is up to date`;
  let applied = false;
  if (mode === "enabled" || mode === "warn") {
    const drift = await detectDrift(
      actions,
      last,
      mode,
      helmReleaseLabels(hr),
      hr.spec.driftDetection.ignore ?? [],
    );
    if (drift.drifted.length > 0) {
      const what = drift.drifted.join(", ");
      if (drift.corrected) {
        env.logger.info(`corrected drift: ${what}`, { helmrelease: keyOf(hr) });
        message = `${message}; corrected drift: ${what}`;
        applied = true;
      } else {
        env.logger.warn(`drift detected: ${what}`, { helmrelease: keyOf(hr) });
        message = `${message}; drift detected: ${what}`;
      }
    }
  }
  const reason = state.conditions.find((c) => c.type === "Ready" && c.status === "True")?.reason ??
    "ReconciliationSucceeded";
  setCondition(state, "Ready", "True", reason, message);
  return {
    ready: "True",
    reason,
    message,
    revision: fetched.revision,
    attemptedRevision: fetched.revision,
    applied,
  };
}

async function runTests(
  hr: HelmRelease,
  actions: ActionEnv,
  state: HelmReleaseState,
  namespace: string,
) {
  const result = await helmTest(actions, {
    releaseName: hr.spec.releaseName,
    namespace,
    timeoutMs: ms(hr.spec.test.timeout, hr.spec.timeout),
    filters: hr.spec.test.filters,
  });
  setCondition(
    state,
    "TestSuccess",
    result.passed ? "True" : "False",
    result.passed ? "TestSucceeded" : "TestFailed",
    result.message,
  );
  return result;
}

/**
 * After a failed action: count it; within the budget (or with remediateLastFailure) undo it —
 * uninstall a failed install, roll back or uninstall a failed upgrade — and report the failure
 * with the Remediated condition saying what was done.
 */
async function remediate(
  hr: HelmRelease,
  env: ReconcileEnv,
  actions: ActionEnv,
  state: HelmReleaseState,
  installing: boolean,
  error: HelmActionError,
  fetched: FetchedChart,
): Promise<Outcome> {
  const reason = error.reason === "TestFailed"
    ? "TestFailed"
    : installing
    ? "InstallFailed"
    : "UpgradeFailed";
  setCondition(state, "Released", "False", reason, error.message);
  const spec = installing ? hr.spec.install.remediation : hr.spec.upgrade.remediation;
  const failures = installing ? ++state.installFailures : ++state.upgradeFailures;
  const retry = retryOnFailure(hr, installing);
  if (retry) {
    // RetryOnFailure: no rollback or uninstall; the release stays failed and the action is
    // tried again (a failed install as an upgrade) after retryInterval.
    const history = await actions.storage.history(hr.spec.releaseName);
    state.history = history.map((r) => snapshotOf(r)).reverse();
    return {
      ...fail(
        state,
        reason,
        `${error.message}; retrying in ${retry.label} (RetryOnFailure)`,
        fetched,
      ),
      requeueAfterMs: retry.ms,
    };
  }
  const strategy = installing ? "uninstall" : hr.spec.upgrade.remediation.strategy;
  const shouldRemediate = !exhausted(failures, spec.retries) || spec.remediateLastFailure;
  const target = { releaseName: hr.spec.releaseName, namespace: hr.spec.targetNamespace };
  let remediation = "";
  if (shouldRemediate) {
    try {
      if (strategy === "rollback") {
        const o = hr.spec.rollback;
        const rel = await rollback(actions, {
          ...target,
          timeoutMs: ms(o.timeout, hr.spec.timeout),
          wait: !o.disableWait,
          waitForJobs: !o.disableWaitForJobs,
          disableHooks: o.disableHooks,
          force: o.force,
          recreate: o.recreate,
          cleanupOnFail: o.cleanupOnFail,
          labels: helmReleaseLabels(hr),
          maxHistory: hr.spec.maxHistory,
        });
        remediation = `${rel.info.description ?? "rolled back"} as revision ${rel.version}`;
        setCondition(state, "Remediated", "True", "RollbackSucceeded", rel.info.description ?? "");
      } else {
        const o = hr.spec.uninstall;
        await uninstall(actions, {
          ...target,
          timeoutMs: ms(o.timeout, hr.spec.timeout),
          disableHooks: o.disableHooks,
          keepHistory: o.keepHistory,
          wait: !o.disableWait,
          deletionPropagation: o.deletionPropagation,
        });
        remediation = "uninstalled";
        setCondition(state, "Remediated", "True", "UninstallSucceeded", "Uninstallation complete");
      }
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      env.logger.error(`remediation failed: ${why}`, { helmrelease: keyOf(hr) });
      setCondition(
        state,
        "Remediated",
        "False",
        strategy === "rollback" ? "RollbackFailed" : "UninstallFailed",
        why,
      );
      remediation = `remediation failed: ${why}`;
    }
  }
  const history = await actions.storage.history(hr.spec.releaseName);
  state.history = history.map((r) => snapshotOf(r)).reverse();
  const message = `${error.message}${
    remediation ? ` (${remediation})` : ""
  }; ${failures} failure(s), ${spec.retries < 0 ? "unlimited" : spec.retries} retries`;
  return fail(state, reason, message, fetched);
}

/** Why the last action failed, so a spent retry budget does not hide the cause. */
function lastFailure(state: HelmReleaseState): string {
  const released = state.conditions.find((c) => c.type === "Released");
  return released?.status === "False" ? `; last failure: ${released.message}` : "";
}

function isRenderFailure(e: unknown): e is Error {
  return e instanceof RenderError || e instanceof ChartRenderError ||
    e instanceof SchemaValidationError || e instanceof ValuesError;
}

/** As Flux words it: "Helm upgrade failed for release ns/name with chart c@v: <why>". */
function renderFailed(
  hr: HelmRelease,
  state: HelmReleaseState,
  installing: boolean,
  e: Error,
  fetched: FetchedChart,
): Outcome {
  const reason = installing ? "InstallFailed" : "UpgradeFailed";
  const message = `Helm ${
    installing ? "install" : "upgrade"
  } failed for release ${hr.spec.targetNamespace}/${hr.spec.releaseName} with chart ${fetched.chart.metadata.name}@${fetched.version}: ${e.message}`;
  if (installing) state.installFailures++;
  else state.upgradeFailures++;
  setCondition(state, "Released", "False", reason, message);
  const retry = retryOnFailure(hr, installing);
  return { ...fail(state, reason, message, fetched), requeueAfterMs: retry?.ms };
}

/** The action's strategy is RetryOnFailure: how long until the next attempt. */
function retryOnFailure(
  hr: HelmRelease,
  installing: boolean,
): { ms: number; label: string } | undefined {
  const strategy = installing ? hr.spec.install.strategy : hr.spec.upgrade.strategy;
  if (strategy?.name !== "RetryOnFailure") return undefined;
  const label = strategy.retryInterval ?? "5m";
  return { ms: parseDurationMillis(label), label };
}

function fail(
  state: HelmReleaseState,
  reason: string,
  message: string,
  fetched?: FetchedChart,
): Outcome {
  setCondition(state, "Ready", "False", reason, message);
  return {
    ready: "False",
    reason,
    message,
    attemptedRevision: fetched?.revision,
  };
}

/**
 * Uninstalls what must go before a release is made here, as Flux does: the release made under
 * an earlier releaseName/targetNamespace/storageNamespace (a release never moves), and, under
 * chartNameChangeStrategy Reinstall (the default), a release of a chart with another name.
 * Returns the failure when an uninstall failed.
 */
async function clearOldRelease(
  hr: HelmRelease,
  env: ReconcileEnv,
  actions: ActionEnv,
  state: HelmReleaseState,
  here: ReleaseCoordinates,
  chartName: string,
): Promise<HelmActionError | undefined> {
  const log = (m: string) => env.logger.info(m, { helmrelease: keyOf(hr) });
  try {
    const moved = state.release && !sameRelease(state.release, here) ? state.release : undefined;
    if (moved) {
      await uninstallRelease(hr, actionEnvOf(hr, env, moved.storageNamespace), moved);
      log(`release moved from ${moved.storageNamespace}/${moved.name}: old release uninstalled`);
    }
    const last = (await actions.storage.history(here.name)).at(-1);
    const lastChart = String(last?.chart?.metadata?.name ?? "");
    if (
      last && last.info.status !== "uninstalled" && lastChart && lastChart !== chartName &&
      hr.spec.upgrade.chartNameChangeStrategy === "Reinstall"
    ) {
      log(`chart changed from ${lastChart} to ${chartName}: reinstalling`);
      await uninstallRelease(hr, actions, here);
    }
  } catch (e) {
    if (e instanceof HelmActionError) return e;
    throw e;
  }
  return undefined;
}

/** Uninstalls a release per spec.uninstall; one that is already gone is fine. */
async function uninstallRelease(
  hr: HelmRelease,
  actions: ActionEnv,
  release: { name: string; namespace: string },
): Promise<void> {
  const o = hr.spec.uninstall;
  try {
    await uninstall(actions, {
      releaseName: release.name,
      namespace: release.namespace,
      timeoutMs: ms(o.timeout, hr.spec.timeout),
      disableHooks: o.disableHooks,
      keepHistory: o.keepHistory,
      wait: !o.disableWait,
      deletionPropagation: o.deletionPropagation,
    });
  } catch (e) {
    if (!(e instanceof HelmActionError && e.reason === "ReleaseNotFound")) throw e;
  }
}

/** The HelmRelease left the config: uninstall per spec.uninstall, as helm-controller does. */
export async function finalizeHelmRelease(hr: HelmRelease, env: ReconcileEnv): Promise<void> {
  try {
    await uninstallRelease(hr, actionEnvOf(hr, env), {
      name: hr.spec.releaseName,
      namespace: hr.spec.targetNamespace,
    });
  } finally {
    forgetHelmReleaseState(env, keyOf(hr));
  }
  await removeState(env, { namespace: hr.metadata.namespace, name: hr.metadata.name });
}

/** The settings `install` and `upgrade` share, from `spec.install` or `spec.upgrade`. */
function actionSettings(
  o: HelmRelease["spec"]["install"] | HelmRelease["spec"]["upgrade"],
  releaseTimeout: string,
) {
  return {
    timeoutMs: ms(o.timeout, releaseTimeout),
    wait: !o.disableWait,
    waitForJobs: !o.disableWaitForJobs,
    disableHooks: o.disableHooks,
    skipSchemaValidation: o.disableSchemaValidation,
    crds: o.crds as "Skip" | "Create" | "CreateReplace",
  };
}
