// The commit message of an image update: `git.commit.messageTemplate` rendered as a Go text
// template over the automation's template data, as Flux does (its default when none is set).
import { type FuncMap, Template } from "../gotemplate/mod.ts";
import type { AutomationTemplateData } from "./template_data.ts";

export const DEFAULT_COMMIT_MESSAGE = "Update from image update automation";

export class CommitMessageError extends Error {
  override readonly name = "CommitMessageError";
  constructor(readonly reason: string, override readonly cause?: unknown) {
    super(`spec.git.commit.messageTemplate: ${reason}`);
  }
}

/**
 * Renders the message. `funcs` adds template functions (Flux offers Sprig's hermetic set);
 * parse and execution errors become CommitMessageError with Go's message.
 */
export function renderCommitMessage(
  messageTemplate: string | undefined,
  data: AutomationTemplateData,
  funcs: FuncMap = {},
): string {
  const text = messageTemplate || DEFAULT_COMMIT_MESSAGE;
  let template: Template;
  try {
    template = new Template("commit message").funcs(funcs).parse(text);
  } catch (e) {
    throw new CommitMessageError(
      `unable to create commit message template: ${(e as Error).message}`,
      e,
    );
  }
  try {
    return template.execute(data);
  } catch (e) {
    throw new CommitMessageError(`failed to run template: ${(e as Error).message}`, e);
  }
}
