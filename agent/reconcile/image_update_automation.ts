// ImageUpdateAutomation: one run of lib/images' automation (check out the branch, write every
// selected ImagePolicy's latest image into the fields marked `# {"$imagepolicy": "ns:name"}`,
// one commit, push without ever forcing), then fetch the source at once so the cluster follows.
import { join } from "node:path";
import type { GitRepository, ImageUpdateAutomation } from "../config/mod.ts";
import type { SetterPolicy } from "../../lib/images/mod.ts";
import {
  AutomationError,
  type AutomationResult,
  type AutomationSource,
  runImageUpdateAutomation,
  selectsPolicy,
  type SigningKey,
  SigningKeyError,
  signingKeyFromSecret,
} from "../../lib/images/automation/mod.ts";
import { readSecretData, SecretNotFoundError } from "../cluster/secrets.ts";
import { objectKey } from "../status/mod.ts";
import type { Outcome, ReconcileEnv } from "./types.ts";

export { imageUpdateAutomationReconciler } from "./image_entries.ts";

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
      message: `spec.sourceRef: GitRepository ${ref.namespace ?? ns}/${ref.name} is not defined`,
    };
  }
  const policies = latestImagesOf(automation, env);
  if (policies.length === 0) {
    // Without a latest image no marker can change: skip the checkout until a policy resolves.
    return { ready: "True", reason: "Succeeded", message: "no ImagePolicy has a latest image yet" };
  }
  let result: AutomationResult;
  try {
    result = await runImageUpdateAutomation(automation, {
      source: await sourceOf(repo, env),
      policies,
      signingKey: await signingKeyOf(automation, env),
      workDir: join(env.cacheDir, "automation"),
      logger: env.logger,
    });
  } catch (e) {
    // The library's reasons are Flux's (InvalidSourceConfiguration, GitOperationFailed, ...).
    if (e instanceof AutomationError) {
      return { ready: "False", reason: e.reason, message: e.message };
    }
    // Reading a Secret or the key in it is part of getting ready to commit, as in Flux.
    if (e instanceof SecretNotFoundError || e instanceof SigningKeyError) {
      return {
        ready: "False",
        reason: "GitOperationFailed",
        message: `ImageUpdateAutomation ${ns}/${automation.metadata.name}: ${e.message}`,
      };
    }
    throw e;
  }
  for (const problem of result.problemFiles) {
    env.logger.warn("skipped a file that is not valid YAML", {
      automation: `${ns}/${automation.metadata.name}`,
      file: problem.file,
      reason: problem.reason,
    });
  }
  if (!result.commit) {
    return {
      ready: "True",
      reason: "Succeeded",
      message: "repository up-to-date",
      revision: result.revision,
    };
  }
  // The cluster should not wait for the source's next poll to see our own commit.
  env.trigger(
    objectKey("GitRepository", repo.metadata.namespace, repo.metadata.name),
    "image update pushed",
  );
  return {
    ready: "True",
    reason: "Succeeded",
    message: pushedMessage(automation, result.commit, result.pushedTo),
    revision: result.commit,
    applied: true,
  };
}

/** The latest images of the policies the automation applies: its namespace, its selector. */
function latestImagesOf(automation: ImageUpdateAutomation, env: ReconcileEnv): SetterPolicy[] {
  const ns = automation.metadata.namespace;
  const policies: SetterPolicy[] = [];
  for (const p of env.config.imagePolicies) {
    if (p.metadata.namespace !== ns) continue;
    if (!selectsPolicy(automation.spec.policySelector, p.metadata.labels)) continue;
    const latestImage = env.images.latest(objectKey("ImagePolicy", ns, p.metadata.name));
    if (latestImage) policies.push({ namespace: ns, name: p.metadata.name, latestImage });
  }
  return policies;
}

/** The GitRepository's URL, ref and the data of its Secrets, read from the cluster. */
async function sourceOf(repo: GitRepository, env: ReconcileEnv): Promise<AutomationSource> {
  const ns = repo.metadata.namespace;
  const where = `GitRepository ${ns}/${repo.metadata.name}`;
  const read = (name: string, field: string) =>
    readSecretData(env.client, ns, name, `${where} ${field}`, env.logger.secrets);
  return {
    url: repo.spec.url,
    ref: repo.spec.ref,
    secret: repo.spec.secretRef
      ? await read(repo.spec.secretRef.name, "spec.secretRef")
      : undefined,
    proxySecret: repo.spec.proxySecretRef
      ? await read(repo.spec.proxySecretRef.name, "spec.proxySecretRef")
      : undefined,
  };
}

/** spec.git.commit.signingKey: the Secret lives in the automation's namespace, as in Flux. */
async function signingKeyOf(
  automation: ImageUpdateAutomation,
  env: ReconcileEnv,
): Promise<SigningKey | undefined> {
  const secretRef = automation.spec.git?.commit.signingKey?.secretRef;
  if (!secretRef) return undefined;
  const ns = automation.metadata.namespace;
  const data = await readSecretData(
    env.client,
    ns,
    secretRef.name,
    "spec.git.commit.signingKey.secretRef",
    env.logger.secrets,
  );
  return signingKeyFromSecret(data, `${ns}/${secretRef.name}`);
}

/** As Flux summarizes a push: "pushed commit '<short>' to branch '<branch>'". */
function pushedMessage(
  automation: ImageUpdateAutomation,
  commit: string,
  branch: string | undefined,
): string {
  const refspec = automation.spec.git?.push?.refspec;
  return `pushed commit '${commit.slice(0, 7)}' to branch '${branch}'` +
    (refspec ? ` and refspecs '${refspec}'` : "");
}
