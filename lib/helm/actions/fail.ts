// Recording a failed action on its revision the way Helm does (status failed, description
// "<what> failed: <why>"), and turning the cause into a HelmActionError for the caller.
import type { Release } from "../release/mod.ts";
import type { ActionEnv } from "./env.ts";
import { type ActionReason, HelmActionError } from "./errors.ts";

export async function failRelease(
  env: ActionEnv,
  release: Release,
  reason: ActionReason,
  what: string,
  cause: unknown,
): Promise<HelmActionError> {
  const detail = cause instanceof Error ? cause.message : String(cause);
  release.info.status = "failed";
  release.info.description = `${what}: ${detail}`;
  release.info.last_deployed = (env.now ? env.now() : new Date()).toISOString();
  try {
    await env.storage.update(release);
  } catch {
    // The original failure matters more than a failure to record it; the next run sees the
    // pending revision and reports it.
  }
  return new HelmActionError(
    reason,
    release.name,
    release.namespace,
    release.info.description,
    cause,
  );
}
