// ImageUpdateAutomation: check out the GitRepository's branch, write every ImagePolicy's latest
// image into the fields marked `# {"$imagepolicy": "ns:name[:tag|:name]"}`, commit with the
// message template and push; then fetch the source at once so the cluster follows.
import { join } from "node:path";
import type { ImageUpdateAutomation } from "../config/mod.ts";
import {
  applySetters,
  automationTemplateData,
  CommitMessageError,
  renderCommitMessage,
  type SetterPolicy,
} from "../../lib/images/mod.ts";
import { checkout, commitAndPush, GitError } from "../../lib/git/mod.ts";
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import type { Outcome, ReconcileEnv, Reconciler } from "./types.ts";

export const imageUpdateAutomationReconciler: Reconciler<"ImageUpdateAutomation"> = {
  kind: "ImageUpdateAutomation",
  schedule: (a) => ({
    intervalMs: parseDurationMillis(a.spec.interval),
    retryIntervalMs: parseDurationMillis(a.spec.interval),
    suspended: a.spec.suspend,
  }),
  reconcile: reconcileImageUpdateAutomation,
};

export async function reconcileImageUpdateAutomation(
  automation: ImageUpdateAutomation,
  env: ReconcileEnv,
): Promise<Outcome> {
  const ns = automation.metadata.namespace;
  const ref = automation.spec.sourceRef;
  const repo = env.config.get("GitRepository", ref.namespace ?? ns, ref.name);
  if (!repo) {
    return {
      ready: "False",
      reason: "SourceNotFound",
      message: `GitRepository ${ref.name} is not defined`,
    };
  }
  const policies: SetterPolicy[] = [];
  for (const p of env.config.imagePolicies) {
    if (p.metadata.namespace !== ns || !selected(automation, p.metadata.labels ?? {})) continue;
    const latest = env.images.latest(objectKey("ImagePolicy", ns, p.metadata.name));
    if (latest) policies.push({ namespace: ns, name: p.metadata.name, latestImage: latest });
  }
  if (policies.length === 0) {
    return { ready: "True", reason: "Succeeded", message: "no ImagePolicy has a latest image yet" };
  }
  const dir = join(env.cacheDir, "automation", `${ns}-${automation.metadata.name}`);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  try {
    const secret = repo.spec.secretRef
      ? await readSecretData(
        env.client,
        repo.metadata.namespace,
        repo.spec.secretRef.name,
        "spec.secretRef",
        env.logger.secrets,
      )
      : undefined;
    const git = automation.spec.git;
    const branch = git?.checkout?.ref.branch ?? repo.spec.ref.branch;
    const wc = await checkout({ url: repo.spec.url, branch, secret }, dir);
    const result = await applySetters(dir, policies, { path: automation.spec.update.path });
    if (result.changes.length === 0) {
      return { ready: "True", reason: "Succeeded", message: "no updates made", revision: wc.head };
    }
    const data = automationTemplateData(
      { name: automation.metadata.name, namespace: ns },
      result.changes,
      git?.commit.messageTemplateValues ?? {},
    );
    const message = renderCommitMessage(git?.commit.messageTemplate, data);
    const author = {
      name: git?.commit.author.name ?? "skiff",
      email: git?.commit.author.email ?? "skiff@localhost",
    };
    const pushed = await commitAndPush(wc, { author, message, branch: git?.push?.branch });
    if (!pushed) {
      return { ready: "True", reason: "Succeeded", message: "no updates made", revision: wc.head };
    }
    // The cluster should not wait for the source's next poll to see our own commit.
    env.trigger(
      objectKey("GitRepository", repo.metadata.namespace, repo.metadata.name),
      "image update pushed",
    );
    const images = [...new Set(result.changes.map((c) => c.image))].join(", ");
    return {
      ready: "True",
      reason: "Succeeded",
      message: `pushed commit '${
        pushed.commit.slice(0, 7)
      }' to branch '${pushed.branch}': ${images}`,
      revision: pushed.commit,
      applied: true,
    };
  } catch (e) {
    if (
      e instanceof GitError || e instanceof CommitMessageError || e instanceof SecretNotFoundError
    ) {
      return { ready: "False", reason: "GitOperationFailed", message: e.message };
    }
    throw e;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function selected(a: ImageUpdateAutomation, labels: Record<string, string>): boolean {
  const sel = a.spec.policySelector;
  if (!sel) return true;
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
