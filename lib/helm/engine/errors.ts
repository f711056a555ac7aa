// Errors of chart rendering, worded as Helm words them ("parse error at (...)", "execution
// error at (...)") because users search for those.
import { ExecError, TemplateError } from "../../gotemplate/mod.ts";

export class RenderError extends Error {
  override readonly name = "RenderError";
  constructor(
    /** The template being rendered, e.g. "mychart/templates/deployment.yaml". */
    readonly template: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

const WARN = /HELM_ERR_START((?:.|\n)*)HELM_ERR_END/;

/** Helm's cleanupParseError. */
export function parseErrorOf(filename: string, err: TemplateError | Error): RenderError {
  const tokens = err.message.split(": ");
  if (tokens.length === 1) {
    return new RenderError(filename, `parse error in (${filename}): ${err.message}`, err);
  }
  return new RenderError(
    filename,
    `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`,
    err,
  );
}

/** Helm's reformatExecErrorMsg: `required`/`fail` messages shown bare with their location. */
export function execErrorOf(filename: string, err: ExecError | Error): RenderError {
  const message = err.message;
  const first = message.indexOf(": ");
  const second = first === -1 ? -1 : message.indexOf(": ", first + 2);
  if (first === -1 || second === -1) {
    return new RenderError(filename, `${filename}\n  ${message}`, err);
  }
  const location = message.slice(first + 2, second);
  const m = WARN.exec(message.slice(second + 2));
  if (m) return new RenderError(filename, `execution error at (${location}): ${m[1]}`, err);
  return new RenderError(filename, message, err);
}

/** Wraps a message the way `required` and `fail` do, so the engine can find it again. */
export function warnWrap(message: string): string {
  return `HELM_ERR_START${message}HELM_ERR_END`;
}
