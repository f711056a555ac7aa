// Image update automation end to end: one run of an ImageUpdateAutomation (checkout, setters,
// one commit, push with re-apply on a moved branch).
//
//   const result = await runImageUpdateAutomation(automation, {
//     source: { url, ref: repo.spec.ref, secret }, policies, workDir: `${cacheDir}/automation`,
//   });                                     // throws AutomationError { reason }
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
