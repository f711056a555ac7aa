// Which leaves of a SOPS tree are encrypted: SOPS decides from the key path (suffix and regex
// rules) and from the comments above a value (comment regex rules), in this order.
import { compileGoRegexp, GoRegexpError } from "../regexp/mod.ts";
import { SopsUnsupportedError } from "./errors.ts";
import type { EncryptionRules } from "./metadata.ts";

export type EncryptionPredicate = (
  path: readonly string[],
  commentsStack: readonly (readonly string[])[],
  isComment: boolean,
) => boolean;

export function encryptionPredicate(
  rules: EncryptionRules,
  file: string | undefined,
): EncryptionPredicate {
  const re = (field: string, pattern: string | undefined): RegExp | undefined => {
    if (pattern === undefined) return undefined;
    try {
      return compileGoRegexp(pattern);
    } catch (e) {
      const reason = e instanceof GoRegexpError ? e.reason : String(e);
      throw new SopsUnsupportedError(
        file,
        `sops metadata: ${field} ${JSON.stringify(pattern)} cannot be evaluated: ${reason}`,
      );
    }
  };
  const unencryptedRegex = re("unencrypted_regex", rules.unencryptedRegex);
  const encryptedRegex = re("encrypted_regex", rules.encryptedRegex);
  const unencryptedCommentRegex = re("unencrypted_comment_regex", rules.unencryptedCommentRegex);
  const encryptedCommentRegex = re("encrypted_comment_regex", rules.encryptedCommentRegex);
  const { unencryptedSuffix, encryptedSuffix } = rules;

  return (path, commentsStack, isComment) => {
    let encrypted = true;
    if (unencryptedSuffix && path.some((p) => p.endsWith(unencryptedSuffix))) encrypted = false;
    if (encryptedSuffix) encrypted = path.some((p) => p.endsWith(encryptedSuffix));
    if (unencryptedRegex && path.some((p) => unencryptedRegex.test(p))) encrypted = false;
    if (encryptedRegex) encrypted = path.some((p) => encryptedRegex.test(p));
    if (
      unencryptedCommentRegex &&
      commentsStack.some((cs) => cs.some((c) => unencryptedCommentRegex.test(c)))
    ) {
      encrypted = false;
    }
    if (encryptedCommentRegex) {
      encrypted = false;
      const last = commentsStack.length - 1;
      outer: for (let i = 0; i < commentsStack.length; i++) {
        for (let j = 0; j < commentsStack[i].length; j++) {
          // The comment line that matches does not encrypt itself, only what follows it.
          if (isComment && i === last && j === commentsStack[i].length - 1) continue;
          if (encryptedCommentRegex.test(commentsStack[i][j])) {
            encrypted = true;
            break outer;
          }
        }
      }
    }
    return encrypted;
  };
}
