// One run of an ImageUpdateAutomation: check out the branch, write the policies' latest images
// into the marked fields under spec.update.path, and when anything changed make ONE commit
// with the rendered message and push it. A push never forces: when another commit lands on the
// branch first, the setters run again on the new head and the push is retried, a bounded
// number of times (Flux gives up at the first rejection).
import type { Logger } from "../../log/mod.ts";
import {
  commitAndPush,
  GitError,
  pushHeadToRef,
  type PushResult,
  type WorkingCopy,
} from "../../git/mod.ts";
import { checkoutForAutomation } from "./checkout.ts";
import { applySetters, type SetterChange, type SetterPolicy } from "../setters.ts";
import { SetterError } from "../setter_error.ts";
import { setterPathOf } from "../update_strategy.ts";
import { automationTemplateData } from "../template_data.ts";
import { CommitMessageError, renderCommitMessage } from "../commit_message.ts";
import { AutomationError, type AutomationFailure } from "./errors.ts";
import { type PushTarget, pushTargetOf } from "./push_target.ts";
import type { AutomationObject, AutomationSource } from "./spec.ts";
import type { SigningKey } from "./signing_key.ts";

export interface RunAutomationOptions {
  /** The GitRepository of spec.sourceRef. */
  source: AutomationSource;
  /**
   * The latest image of every ImagePolicy this automation applies (the caller selects them:
   * the automation's namespace and spec.policySelector).
   */
  policies: readonly SetterPolicy[];
  /** Where checkouts are made (a fresh directory inside, removed after the run). */
  workDir: string;
  /** From spec.git.commit.signingKey's Secret (see signingKeyFromSecret). */
  signingKey?: SigningKey;
  logger?: Logger;
  /** Commit timestamps; defaults to the system clock. */
  clock?: () => Date;
  /** How many times to start over after the branch moved under us (default 3). */
  retries?: number;
  /**
   * Called after each checkout, before the setters run. The agent does not need it; tests use
   * it to land a concurrent commit at exactly that moment.
   */
  afterCheckout?: (checkout: { dir: string; branch: string; head: string }) => Promise<void>;
}

export interface AutomationResult {
  /** The commit pushed; absent when no field needed a change. */
  commit?: string;
  /** The fields the commit changed (empty when nothing changed). */
  changes: SetterChange[];
  /** The branch the commit went to; absent when nothing was pushed. */
  pushedTo?: string;
  /** The refspec destination that also got the commit (spec.git.push.refspec). */
  alsoPushedTo?: string;
  /** The branch's head after the run: the pushed commit, or the head that needed no change. */
  revision: string;
  /** The rendered commit message, when a commit was made. */
  message?: string;
  /** Checkouts it took (1 unless the branch moved in a way that changed what to write). */
  attempts: number;
  /** Files with setter markers that are not valid YAML; skipped, as Flux does. */
  problemFiles: { file: string; reason: string }[];
}

export async function runImageUpdateAutomation(
  automation: AutomationObject,
  options: RunAutomationOptions,
): Promise<AutomationResult> {
  const id = `${automation.metadata.namespace}/${automation.metadata.name}`;
  const fail: Fail = (reason, message, cause) => new AutomationError(reason, id, message, cause);
  const target = pushTargetOf(automation, options.source);
  if ("problem" in target) throw fail("InvalidSourceConfiguration", target.problem);
  let path: string;
  try {
    path = setterPathOf(automation.spec.update);
  } catch (e) {
    throw fail("InvalidUpdateStrategy", (e as Error).message, e);
  }
  const logger = options.logger?.with({ automation: id });
  // As Flux sends them: `key=value`, or just `key` for an empty value.
  const pushOptions = Object.entries(automation.spec.git?.push?.options ?? {})
    .map(([key, value]) => value === "" ? key : `${key}=${value}`);
  const retries = options.retries ?? 3;
  let lastRejection = "";
  await Deno.mkdir(options.workDir, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: options.workDir, prefix: "automation-" });
  try {
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      const wc = await checkoutTarget(options.source, target, `${dir}/${attempt}`, fail);
      logger?.debug("checked out", { branch: wc.branch, head: wc.head, attempt });
      await options.afterCheckout?.({ dir: wc.dir, branch: wc.branch, head: wc.head });
      const applied = await setters(wc.dir, options.policies, path, fail);
      if (applied.changes.length === 0) {
        return {
          changes: [],
          revision: wc.head,
          attempts: attempt,
          problemFiles: applied.problemFiles,
        };
      }
      const message = commitMessage(automation, applied.changes, fail);
      const now = (options.clock ?? (() => new Date()))();
      const author = automation.spec.git?.commit.author;
      let pushed: PushResult | undefined;
      try {
        pushed = await commitAndPush(
          wc,
          {
            author: { name: author?.name || "skiff", email: author?.email ?? "", timestamp: now },
            message,
            branch: target.pushBranch,
            signingKey: options.signingKey,
            pushOptions,
          },
          {
            // lib/git rebuilds on the new head when the branch moved before the push; the
            // message was rendered for these changes, so a different outcome starts over.
            retries: 0,
            reapply: async (rebased) => {
              const again = await setters(rebased, options.policies, path, fail);
              if (!sameChanges(again.changes, applied.changes)) throw new ChangesMoved();
            },
          },
        );
      } catch (e) {
        if (e instanceof GitError && e.cause instanceof AutomationError) throw e.cause;
        const moved = e instanceof GitError &&
          (e.reason === "PushRejected" || e.cause instanceof ChangesMoved);
        if (!moved) throw fail("GitOperationFailed", (e as Error).message, e);
        lastRejection = e.cause instanceof ChangesMoved
          ? "the branch moved and now needs other changes"
          : e.message;
        logger?.warn("branch moved while pushing; starting over on the new head", {
          branch: target.pushBranch,
          attempt,
        });
        continue;
      }
      if (!pushed) {
        // The new head already has every value: someone else made the same change.
        return { changes: [], revision: wc.head, attempts: attempt, problemFiles: [] };
      }
      logger?.info("pushed image update", {
        commit: pushed.commit,
        branch: pushed.branch,
        changes: applied.changes.length,
      });
      if (target.alsoPushTo) await pushRefspec(wc, target.alsoPushTo, pushed.branch, fail);
      return {
        commit: pushed.commit,
        changes: applied.changes,
        pushedTo: pushed.branch,
        alsoPushedTo: target.alsoPushTo,
        revision: pushed.commit,
        message,
        attempts: attempt,
        problemFiles: applied.problemFiles,
      };
    }
    throw fail(
      "PushRejected",
      `gave up pushing to branch "${target.pushBranch}" after ${retries + 1} attempts, ` +
        `nothing was forced; last: ${lastRejection}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** From the re-apply hook: the new head needs other changes than the message describes. */
class ChangesMoved extends Error {
  override readonly name = "ChangesMoved";
}

type Fail = (reason: AutomationFailure, message: string, cause?: unknown) => AutomationError;

async function checkoutTarget(
  source: AutomationSource,
  target: PushTarget,
  dir: string,
  fail: Fail,
): Promise<WorkingCopy> {
  try {
    return await checkoutForAutomation(source, target, dir);
  } catch (e) {
    throw fail("GitOperationFailed", (e as Error).message, e);
  }
}

/** The refspec half of the push; the branch already has the commit, so say so on failure. */
async function pushRefspec(wc: WorkingCopy, ref: string, branch: string, fail: Fail) {
  try {
    await pushHeadToRef(wc, ref);
  } catch (e) {
    const reason = e instanceof GitError && e.reason === "PushRejected"
      ? "PushRejected"
      : "GitOperationFailed";
    throw fail(
      reason,
      `commit ${wc.head.slice(0, 7)} was pushed to branch "${branch}", but not to ${ref} ` +
        `(spec.git.push.refspec): ${(e as Error).message}`,
      e,
    );
  }
}

async function setters(
  dir: string,
  policies: readonly SetterPolicy[],
  path: string,
  fail: Fail,
) {
  try {
    return await applySetters(dir, policies, { path });
  } catch (e) {
    if (e instanceof SetterError) throw fail("InvalidUpdateStrategy", e.message, e);
    throw e;
  }
}

function commitMessage(automation: AutomationObject, changes: SetterChange[], fail: Fail): string {
  const commit = automation.spec.git?.commit;
  const data = automationTemplateData(
    automation.metadata,
    changes,
    commit?.messageTemplateValues ?? {},
  );
  try {
    return renderCommitMessage(commit?.messageTemplate, data);
  } catch (e) {
    if (e instanceof CommitMessageError) throw fail("InvalidCommitMessage", e.message, e);
    throw e;
  }
}

function sameChanges(a: readonly SetterChange[], b: readonly SetterChange[]): boolean {
  const key = (c: SetterChange) =>
    JSON.stringify([c.file, c.object, c.setter, c.oldValue, c.newValue]);
  return a.length === b.length && a.every((c, i) => key(c) === key(b[i]));
}
