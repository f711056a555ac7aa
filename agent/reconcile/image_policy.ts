// ImagePolicy: choose the latest tag of its ImageRepository (semver, alphabetical or numerical,
// after the tag filter) and wake the image update automations when it changed.
import type { ImagePolicy } from "../config/mod.ts";
import { compilePolicy, PolicyError } from "../../lib/images/mod.ts";
import { objectKey } from "../status/mod.ts";
import type { Outcome, ReconcileEnv } from "./types.ts";

export { imagePolicyReconciler } from "./image_entries.ts";

export function reconcileImagePolicy(policy: ImagePolicy, env: ReconcileEnv): Promise<Outcome> {
  const ns = policy.metadata.namespace;
  const ref = policy.spec.imageRepositoryRef;
  const repoKey = objectKey("ImageRepository", ref.namespace ?? ns, ref.name);
  const scanned = env.images.repository(repoKey);
  if (!scanned) {
    return Promise.resolve({
      ready: "False",
      reason: "DependencyNotReady",
      message: `ImageRepository ${ref.namespace ?? ns}/${ref.name} has not been scanned yet`,
    });
  }
  const repo = env.config.get("ImageRepository", ref.namespace ?? ns, ref.name);
  try {
    const tag = compilePolicy({ policy: policy.spec.policy, filterTags: policy.spec.filterTags })
      .latest(scanned.tags);
    const image = `${repo?.spec.image ?? scanned.canonicalImageName}:${tag}`;
    const key = objectKey("ImagePolicy", ns, policy.metadata.name);
    if (env.images.setLatest(key, image)) {
      for (const automation of env.config.imageUpdateAutomations) {
        if (automation.metadata.namespace !== ns) continue;
        env.trigger(
          objectKey("ImageUpdateAutomation", ns, automation.metadata.name),
          "new latest image",
        );
      }
    }
    return Promise.resolve({
      ready: "True",
      reason: "Succeeded",
      message: `Latest image tag for '${
        repo?.spec.image ?? scanned.canonicalImageName
      }' resolved to ${tag}`,
      revision: image,
    });
  } catch (e) {
    if (e instanceof PolicyError) {
      return Promise.resolve({ ready: "False", reason: e.reason, message: e.message });
    }
    throw e;
  }
}
