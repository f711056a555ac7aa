// HelmRelease, as helm-controller reconciles it: chart from its source → values (valuesFrom,
// then values) → compare with the stored release → install, upgrade, or nothing → tests →
// remediation (uninstall after a failed install, rollback or uninstall after a failed upgrade,
// within the retry budget) → drift detection → status. Only a new chart version (or source
// revision under reconcileStrategy Revision) or changed values trigger an upgrade.
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
  postRendererFor,
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

function actionEnvOf(hr: HelmRelease, env: ReconcileEnv): ActionEnv {
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
    storage: new ReleaseStorage(client, hr.spec.storageNamespace),
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

export async function reconcileHelmRelease(
  hr: HelmRelease,
  env: ReconcileEnv,
  run: RunContext,
): Promise<Outcome> {
  const key = keyOf(hr);
  const state = helmReleaseState(env, key);
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
  const history = await actions.storage.history(releaseName);
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

  const inSync = last !== undefined && last.info.status === "deployed" &&
    String(last.chart?.metadata?.version ?? "") === fetched.version &&
    String(last.chart?.metadata?.name ?? "") === fetched.chart.metadata.name &&
    await valuesDigest(last.config ?? {}) ===
      // With preserveValues the stored config is the new values over the old ones.
      (hr.spec.upgrade.preserveValues
        ? await valuesDigest(mergeMaps(last.config ?? {}, values))
        : digest);
  if (inSync) {
    state.history = history.map((r) => snapshotOf(r)).reverse();
    return await whenInSync(hr, env, actions, state, last!, fetched, run);
  }

  const installing = !last || last.info.status === "uninstalled";
  const installRetries = hr.spec.install.remediation.retries;
  const upgradeRetries = hr.spec.upgrade.remediation.retries;
  // Flux checks the budget of the action attempted last (a failed install is retried as an
  // upgrade, but still on the install budget), before doing anything.
  const active = state.lastAction ?? (installing ? "install" : "upgrade");
  if (active === "install" && exhausted(state.installFailures, installRetries)) {
    return fail(
      state,
      "InstallFailed",
      `install retries exhausted (${installRetries})${lastFailure(state)}`,
      fetched,
    );
  }
  if (active === "upgrade" && exhausted(state.upgradeFailures, upgradeRetries)) {
    return fail(
      state,
      "UpgradeFailed",
      `upgrade retries exhausted (${upgradeRetries})${lastFailure(state)}`,
      fetched,
    );
  }
  state.lastAction = installing ? "install" : "upgrade";

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
        timeoutMs: ms(o.timeout, hr.spec.timeout),
        wait: !o.disableWait,
        waitForJobs: !o.disableWaitForJobs,
        disableHooks: o.disableHooks,
        skipSchemaValidation: o.disableSchemaValidation,
        crds: o.crds as "Skip" | "Create" | "CreateReplace",
        createNamespace: o.createNamespace,
      });
    } else {
      const o = hr.spec.upgrade;
      release = await upgrade(actions, { //                         fails: UpgradeFailed
        ...common,
        timeoutMs: ms(o.timeout, hr.spec.timeout),
        wait: !o.disableWait,
        waitForJobs: !o.disableWaitForJobs,
        disableHooks: o.disableHooks,
        skipSchemaValidation: o.disableSchemaValidation,
        force: o.force,
        crds: o.crds as "Skip" | "Create" | "CreateReplace",
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
  return fail(state, reason, message, fetched);
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

/** The HelmRelease left the config: uninstall per spec.uninstall, as helm-controller does. */
export async function finalizeHelmRelease(hr: HelmRelease, env: ReconcileEnv): Promise<void> {
  const actions = actionEnvOf(hr, env);
  const o = hr.spec.uninstall;
  try {
    await uninstall(actions, {
      releaseName: hr.spec.releaseName,
      namespace: hr.spec.targetNamespace,
      timeoutMs: ms(o.timeout, hr.spec.timeout),
      disableHooks: o.disableHooks,
      keepHistory: o.keepHistory,
      wait: !o.disableWait,
      deletionPropagation: o.deletionPropagation,
    });
  } catch (e) {
    if (!(e instanceof HelmActionError && e.reason === "ReleaseNotFound")) throw e;
  } finally {
    forgetHelmReleaseState(env, keyOf(hr));
  }
}
