// The commit message of an image update: `git.commit.messageTemplate` rendered as a Go text
// template over the automation's template data, as Flux does (its default when none is set).
import { type FuncMap, Template } from "../gotemplate/mod.ts";
import { sprigFuncs } from "../sprig/mod.ts";
import type { AutomationTemplateData } from "./template_data.ts";

export const DEFAULT_COMMIT_MESSAGE = "Update from image update automation";

export class CommitMessageError extends Error {
  override readonly name = "CommitMessageError";
  constructor(readonly reason: string, override readonly cause?: unknown) {
    super(`spec.git.commit.messageTemplate: ${reason}`);
  }
}

// Sprig's non-hermetic functions (clock, randomness, environment, network), which Flux leaves
// out so that a message depends only on the change (sprig.HermeticTxtFuncMap).
const NON_HERMETIC = [
  "date",
  "date_in_zone",
  "date_modify",
  "now",
  "htmlDate",
  "htmlDateInZone",
  "dateInZone",
  "dateModify",
  "randAlphaNum",
  "randAlpha",
  "randAscii",
  "randNumeric",
  "randBytes",
  "uuidv4",
  "env",
  "expandenv",
  "getHostByName",
];

/** Sprig's functions without the non-hermetic ones, as Flux offers them to message templates. */
export function hermeticSprigFuncs(): FuncMap {
  const funcs = sprigFuncs();
  for (const name of NON_HERMETIC) delete funcs[name];
  return funcs;
}

/**
 * Renders the message with Sprig's hermetic functions (plus `funcs`); parse and execution
 * errors become CommitMessageError with Go's message.
 */
export function renderCommitMessage(
  messageTemplate: string | undefined,
  data: AutomationTemplateData,
  funcs: FuncMap = {},
): string {
  const text = messageTemplate || DEFAULT_COMMIT_MESSAGE;
  let template: Template;
  try {
    template = new Template("commit message").funcs({ ...hermeticSprigFuncs(), ...funcs }).parse(
      text,
    );
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
