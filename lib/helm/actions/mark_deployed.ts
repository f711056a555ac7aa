// How a successful install, upgrade or rollback ends: the revisions deployed before it become
// superseded (Helm supersedes every one; failed ones stay failed), the new revision is the
// deployed one, and history is pruned to maxHistory.
import type { Release } from "../release/mod.ts";
import type { ActionEnv } from "./env.ts";

export async function markDeployed(
  env: ActionEnv,
  release: Release,
  earlier: Release[],
  maxHistory: number | undefined,
  description?: string,
): Promise<void> {
  for (const r of earlier.filter((r) => r.info.status === "deployed")) {
    r.info.status = "superseded";
    await env.storage.update(r);
  }
  release.info.status = "deployed";
  if (description !== undefined) release.info.description = description;
  await env.storage.update(release);
  if (maxHistory) await env.storage.pruneHistory(release.name, maxHistory);
}
