// Running a release's hooks for one lifecycle event as Helm does: ordered by weight then name,
// each created (after deleting the old one under before-hook-creation, the default policy),
// Jobs and Pods waited for until they succeed or fail, results recorded in `last_run`, and
// hook-succeeded / hook-failed delete policies applied afterwards.
import type { KubeClient, KubeObject } from "../../kube/mod.ts";
import { deleteIfPresent } from "./delete_object.ts";
import { type ReleaseHook, ZERO_TIME } from "../release/mod.ts";
import type { ActionEnv } from "./env.ts";
import { timestampOf } from "./env.ts";
import { HookFailedError } from "./errors.ts";
import { manifestObjects } from "./manifest_objects.ts";

export interface HookRunOptions {
  namespace: string;
  timeoutMs: number;
  /** For test hooks: only those whose name passes (spec.test.filters). */
  select?: (hook: ReleaseHook) => boolean;
}

const POLL_MS = 100;

export function hooksFor(hooks: ReleaseHook[] | undefined, event: string): ReleaseHook[] {
  return (hooks ?? []).filter((h) => h.events?.includes(event)).sort((a, b) =>
    (a.weight ?? 0) - (b.weight ?? 0) || (a.name ?? "").localeCompare(b.name ?? "")
  );
}

function policiesOf(h: ReleaseHook): string[] {
  const p = h.delete_policies ?? [];
  return p.length === 0 ? ["before-hook-creation"] : p;
}

function hookObject(h: ReleaseHook, namespace: string): KubeObject {
  const [obj] = manifestObjects(h.manifest ?? "", h.path ?? h.name ?? "hook");
  if (!obj) throw new HookFailedError("", h.name ?? "", "the hook manifest holds no object");
  return { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata.namespace || namespace } };
}

async function deleteAndWait(client: KubeClient, obj: KubeObject, deadline: number) {
  const { apiVersion, kind } = obj;
  const name = obj.metadata.name ?? "";
  const namespace = obj.metadata.namespace;
  if (!await deleteIfPresent(client, { apiVersion, kind, name, namespace })) return;
  while (await client.getIfExists(apiVersion, kind, name, namespace)) {
    if (Date.now() > deadline) {
      throw new HookFailedError("delete", `${kind} ${name}`, "still terminating at the deadline");
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** undefined while running; otherwise whether it succeeded and why not. */
function outcomeOf(obj: KubeObject): { ok: boolean; message: string } | undefined {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  if (obj.kind === "Job") {
    const conditions = (status.conditions ?? []) as Record<string, string>[];
    const done = (type: string) => conditions.find((c) => c.type === type && c.status === "True");
    if (done("Complete")) return { ok: true, message: "" };
    const failed = done("Failed");
    if (failed) return { ok: false, message: `${failed.reason}: ${failed.message}` };
    return undefined;
  }
  if (obj.kind === "Pod") {
    if (status.phase === "Succeeded") return { ok: true, message: "" };
    if (status.phase === "Failed") return { ok: false, message: `pod ${obj.metadata.name} failed` };
    return undefined;
  }
  // Helm waits only for Jobs and Pods; any other hook kind is done once created.
  return { ok: true, message: "" };
}

async function waitForHook(client: KubeClient, obj: KubeObject, deadline: number) {
  const { apiVersion, kind } = obj;
  for (;;) {
    const live = await client.getIfExists(
      apiVersion,
      kind,
      obj.metadata.name ?? "",
      obj.metadata.namespace,
    );
    if (!live) return { ok: false, message: "deleted while running" };
    const outcome = outcomeOf(live);
    if (outcome) return outcome;
    if (Date.now() > deadline) return { ok: false, message: "timed out waiting for the condition" };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Runs the hooks of `event`; mutates each hook's `last_run`. Throws HookFailedError on the
 * first failing hook, after applying its hook-failed policy and the hook-succeeded policy of
 * the hooks before it, as Helm stops there too.
 */
export async function runHooks(
  env: ActionEnv,
  hooks: ReleaseHook[] | undefined,
  event: string,
  options: HookRunOptions,
): Promise<ReleaseHook[]> {
  const selected = hooksFor(hooks, event).filter((h) => options.select?.(h) ?? true);
  const deadline = Date.now() + options.timeoutMs;
  const { client } = env;
  const done: { hook: ReleaseHook; obj: KubeObject }[] = [];
  for (const hook of selected) {
    const obj = hookObject(hook, options.namespace);
    if (policiesOf(hook).includes("before-hook-creation")) {
      await deleteAndWait(client, obj, deadline);
    }
    env.log?.(`running ${event} hook ${hook.name}`);
    hook.last_run = { started_at: timestampOf(env), completed_at: ZERO_TIME, phase: "Running" };
    try {
      await client.create(obj, { fieldManager: env.engine.fieldManager });
    } catch (e) {
      hook.last_run = { ...hook.last_run, completed_at: timestampOf(env), phase: "Failed" };
      throw new HookFailedError(event, hook.name ?? "", (e as Error).message);
    }
    const outcome = await waitForHook(client, obj, deadline);
    hook.last_run = {
      ...hook.last_run,
      completed_at: timestampOf(env),
      phase: outcome.ok ? "Succeeded" : "Failed",
    };
    if (!outcome.ok) {
      if (policiesOf(hook).includes("hook-failed")) await deleteAndWait(client, obj, deadline);
      // Helm also removes the hooks that succeeded before this one (hook-succeeded), so a
      // retry does not stumble over them.
      await deleteSucceeded(client, done, options.timeoutMs);
      throw new HookFailedError(event, hook.name ?? "", outcome.message);
    }
    done.push({ hook, obj });
  }
  await deleteSucceeded(client, done, options.timeoutMs);
  return selected;
}

async function deleteSucceeded(
  client: KubeClient,
  done: { hook: ReleaseHook; obj: KubeObject }[],
  timeoutMs: number,
): Promise<void> {
  for (const { hook, obj } of done) {
    if (policiesOf(hook).includes("hook-succeeded")) {
      await deleteAndWait(client, obj, Date.now() + timeoutMs);
    }
  }
}
