// `helm test`: the release's `test` hooks run (filtered by name), each result recorded in the
// revision's hooks so `helm status` shows it, and a summary returned for Flux's TestSuccess.
import type { Release, ReleaseHook } from "../release/mod.ts";
import type { ActionEnv } from "./env.ts";
import { HelmActionError, HookFailedError } from "./errors.ts";
import { runHooks } from "./hooks.ts";
import type { TestOptions } from "./options.ts";

export interface TestResult {
  release: Release;
  passed: boolean;
  /** The test hooks that ran, with their last_run. */
  tests: ReleaseHook[];
  message: string;
}

function selector(filters: TestOptions["filters"]): (h: ReleaseHook) => boolean {
  if (!filters || filters.length === 0) return () => true;
  const include = filters.filter((f) => !f.exclude).map((f) => f.name);
  const exclude = new Set(filters.filter((f) => f.exclude).map((f) => f.name));
  return (h) => {
    const name = h.name ?? "";
    if (exclude.has(name)) return false;
    return include.length === 0 || include.includes(name);
  };
}

export async function test(env: ActionEnv, o: TestOptions): Promise<TestResult> {
  const release = (await env.storage.history(o.releaseName)).at(-1);
  if (!release) {
    throw new HelmActionError("ReleaseNotFound", o.releaseName, env.storage.namespace, "not found");
  }
  const select = selector(o.filters);
  let message = "";
  let passed = true;
  try {
    await runHooks(env, release.hooks, "test", {
      namespace: release.namespace || o.namespace,
      timeoutMs: o.timeoutMs,
      select,
    });
  } catch (e) {
    if (!(e instanceof HookFailedError)) throw e;
    passed = false;
    message = e.message;
  }
  await env.storage.update(release);
  const tests = (release.hooks ?? []).filter((h) => h.events?.includes("test") && select(h));
  if (passed) message = `${tests.length} test(s) passed`;
  return { release, passed, tests, message };
}
