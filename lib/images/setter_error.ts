// The error of an automation's update step that is not about one file: a bad update path or
// strategy, a policy whose latest image is not a reference.
export class SetterError extends Error {
  override readonly name = "SetterError";
  constructor(readonly reason: string, override readonly cause?: Error) {
    super(reason);
  }
}
