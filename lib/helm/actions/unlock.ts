// A revision left pending (the process died mid-action) blocks Helm ("another operation is in
// progress"); helm-controller marks it failed so the release can move on, and so does skiff.
import type { Release } from "../release/mod.ts";
import type { ActionEnv } from "./env.ts";

export async function unlockPending(env: ActionEnv, history: Release[]): Promise<Release[]> {
  for (const r of history) {
    if (!r.info.status?.startsWith("pending-")) continue;
    r.info.status = "failed";
    r.info.description = `Release was left in a pending state (${r.info.description ?? ""})`;
    await env.storage.update(r);
  }
  return history;
}
