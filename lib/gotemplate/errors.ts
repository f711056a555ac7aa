// Error classes of the template engine. Their messages are Go's, byte for byte, because charts
// and users grep for them (`template: x:3:7: executing "x" at <.a.b>: nil pointer evaluating ...`).

/** A template failed to parse: `template: name:line: reason`. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(
    /** The name the text was parsed under (Go's ParseName). */
    readonly templateName: string,
    /** 1-based line of the problem. */
    readonly line: number,
    readonly reason: string,
  ) {
    super(`template: ${templateName}:${line}: ${reason}`);
  }
}

/** Execution failed; `message` is exactly what Go's ExecError.Error() returns. */
export class ExecError extends Error {
  override readonly name = "ExecError";
  constructor(
    /** The template being executed when it failed. */
    readonly templateName: string,
    message: string,
    /** The error a function returned, when the failure came from a function call. */
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/**
 * Thrown by a template function to return a Go `error` (the second result of a Go function).
 * The engine reports it as `error calling NAME: MESSAGE` with the template position.
 */
export class GoFuncError extends Error {
  override readonly name = "GoFuncError";
  constructor(message: string) {
    super(message);
  }
}

/** Thrown by Go's `panic` inside a function; Go's engine reports it like an error. */
export class GoPanic extends Error {
  override readonly name = "GoPanic";
  constructor(message: string) {
    super(message);
  }
}

/** Internal: `{{break}}` / `{{continue}}` unwinding to the enclosing range. */
export class LoopControl {
  constructor(readonly kind: "break" | "continue") {}
}
