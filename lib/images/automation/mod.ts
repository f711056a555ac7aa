// Image update automation end to end: one run of an ImageUpdateAutomation (checkout, setters,
// one commit, push with re-apply on a moved branch), plus what the agent needs to call it.
//
//   const policies = config.imagePolicies
//     .filter((p) => p.metadata.namespace === ns)
//     .filter((p) => selectsPolicy(a.spec.policySelector, p.metadata.labels))
//     .map((p) => ({ namespace: ns, name: p.metadata.name, latestImage: store.latest(p) }));
//   const result = await runImageUpdateAutomation(a, {
//     source: { url: repo.spec.url, ref: repo.spec.ref, secret },
//     policies,
//     signingKey: keySecret && signingKeyFromSecret(keySecret, "flux-system/signing-key"),
//     workDir: `${cacheDir}/automation`,
//     logger,
//   });                    // throws AutomationError { reason }; result.commit when pushed
export {
  type AutomationResult,
  type RunAutomationOptions,
  runImageUpdateAutomation,
} from "./run.ts";
export { AutomationError, type AutomationFailure } from "./errors.ts";
export { type PushTarget, pushTargetOf } from "./push_target.ts";
export type {
  AutomationGitSpec,
  AutomationObject,
  AutomationSource,
  GitCheckoutRef,
} from "./spec.ts";
export { type LabelSelector, selectsPolicy } from "./policy_selector.ts";
export { checkoutForAutomation } from "./checkout.ts";
export { type SigningKey, SigningKeyError, signingKeyFromSecret } from "./signing_key.ts";
