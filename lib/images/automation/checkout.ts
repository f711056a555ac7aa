// The working copy a run starts from: the push branch when it exists already (commits go on
// top of it, never over it), else the checkout branch, from which the push branch is created.
import { checkout, GitError, type WorkingCopy } from "../../git/mod.ts";
import type { PushTarget } from "./push_target.ts";
import type { AutomationSource } from "./spec.ts";

/** Checks out into `dir` (which must not exist yet); throws GitError. */
export async function checkoutForAutomation(
  source: AutomationSource,
  target: PushTarget,
  dir: string,
): Promise<WorkingCopy> {
  const spec = { url: source.url, secret: source.secret, proxySecret: source.proxySecret };
  if (target.pushBranch !== target.checkoutBranch) {
    try {
      return await checkout({ ...spec, branch: target.pushBranch }, dir);
    } catch (e) {
      if (!(e instanceof GitError && e.reason === "RefNotFound")) throw e;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
  return await checkout({ ...spec, branch: target.checkoutBranch }, dir);
}
