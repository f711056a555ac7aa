// Which branch a run checks out and which it pushes to, from git.checkout.ref, the
// GitRepository's ref and git.push, with Flux's fallbacks: the push branch defaults to the
// checkout branch, the checkout branch to the GitRepository's branch.
import type { AutomationObject, AutomationSource, GitCheckoutRef } from "./spec.ts";

export interface PushTarget {
  checkoutBranch: string;
  pushBranch: string;
  /** A refspec's destination (full ref name) that also gets the commit, besides pushBranch. */
  alsoPushTo?: string;
}

/** The branches of a run, or a message for people saying why there are none. */
export function pushTargetOf(
  automation: AutomationObject,
  source: AutomationSource,
): PushTarget | { problem: string } {
  const git = automation.spec.git;
  const fromCheckout = git?.checkout !== undefined;
  const ref = git?.checkout?.ref ?? source.ref ?? {};
  const checkoutBranch = branchOf(ref);
  if (checkoutBranch === undefined) {
    const where = fromCheckout ? "spec.git.checkout.ref" : "the GitRepository's spec.ref";
    return {
      problem: `${where} names ${describe(ref)}; image automation checks out a branch ` +
        "(set spec.git.checkout.ref.branch)",
    };
  }
  const pushBranch = git?.push?.branch || checkoutBranch;
  const refspec = git?.push?.refspec;
  if (!refspec) return { checkoutBranch, pushBranch };
  const destination = refspecDestination(refspec, [checkoutBranch, pushBranch]);
  if ("problem" in destination) {
    return { problem: `spec.git.push.refspec ${JSON.stringify(refspec)}: ${destination.problem}` };
  }
  return destination.ref === `refs/heads/${pushBranch}`
    ? { checkoutBranch, pushBranch }
    : { checkoutBranch, pushBranch, alsoPushTo: destination.ref };
}

function branchOf(ref: GitCheckoutRef): string | undefined {
  // A full ref name, tag, semver range or commit outranks a branch in GitRepository.spec.ref.
  if (ref.commit || ref.semver || ref.tag) return undefined;
  if (ref.name) return ref.name.startsWith("refs/heads/") ? ref.name.slice(11) : undefined;
  return ref.branch || undefined;
}

function describe(ref: GitCheckoutRef): string {
  if (ref.commit) return `commit ${ref.commit}`;
  if (ref.semver) return `semver range ${JSON.stringify(ref.semver)}`;
  if (ref.tag) return `tag ${JSON.stringify(ref.tag)}`;
  if (ref.name) return `ref ${JSON.stringify(ref.name)}`;
  return "no branch";
}

/**
 * Flux pushes the commit to the refspec's destination as well as to the push branch. The
 * source must be the commit made (HEAD or the branch it is made on); deletions and forced
 * updates are refused, as in Flux.
 */
function refspecDestination(
  refspec: string,
  branches: string[],
): { ref: string } | { problem: string } {
  if (refspec.startsWith("+")) {
    return { problem: "force-update refspecs are not supported (skiff never forces)" };
  }
  const [src, dst, ...rest] = refspec.split(":");
  if (rest.length > 0 || dst === undefined || dst === "") {
    return { problem: "expected <source>:<destination>" };
  }
  if (src === "") return { problem: "deletion refspecs (empty source) are not supported" };
  const source = src.startsWith("refs/heads/") ? src.slice(11) : src;
  if (source !== "HEAD" && !branches.includes(source)) {
    return {
      problem: `the source must be HEAD or the branch the commit is made on (${
        [...new Set(branches)].join(" or ")
      })`,
    };
  }
  return { ref: dst.startsWith("refs/") ? dst : `refs/heads/${dst}` };
}
