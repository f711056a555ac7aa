// Why an automation run failed, as a reason a reconciler can put in status unchanged.

export type AutomationFailure =
  /** The checkout/push settings cannot be carried out (no branch, unsupported refspec). */
  | "InvalidSourceConfiguration"
  /** spec.update is missing or names an unknown strategy, or a policy's image is invalid. */
  | "InvalidUpdateStrategy"
  /** spec.git.commit.messageTemplate does not parse or fails to execute. */
  | "InvalidCommitMessage"
  /** Checkout, fetch or push failed (unreachable, auth, corrupt pack...). */
  | "GitOperationFailed"
  /** The branch kept moving: every attempt to push was overtaken by another commit. */
  | "PushRejected";

export class AutomationError extends Error {
  override readonly name = "AutomationError";
  constructor(
    readonly reason: AutomationFailure,
    /** `namespace/name` of the ImageUpdateAutomation. */
    readonly automation: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(`ImageUpdateAutomation ${automation}: ${message}`);
  }
}
