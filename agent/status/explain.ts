// Why an object waits, traced to the root: "apps waits for infra, which failed: Deployment
// cache/redis not ready: ProgressDeadlineExceeded" instead of Flux's bare "dependency not ready".
import type { ObjectStatus, StatusStore } from "./store.ts";

/**
 * Follows the not-ready dependencies of `key` down to the first one that is not itself waiting,
 * and says what happened there. Undefined when every dependency is ready.
 */
export function explainWaiting(store: StatusStore, key: string): string | undefined {
  const chain: string[] = [];
  const seen = new Set<string>([key]);
  let current = store.get(key);
  if (!current) return undefined;
  chain.push(current.name);
  while (current) {
    const blocker: ObjectStatus | undefined = (current.dependsOn ?? [])
      .filter((d) => !seen.has(d))
      .map((d) => store.get(d))
      .find((s) => s !== undefined && s.ready !== "True");
    if (!blocker) break;
    seen.add(`${blocker.kind}/${blocker.namespace}/${blocker.name}`);
    chain.push(blocker.name);
    if (blocker.reason !== "DependencyNotReady") {
      const state = blocker.ready === "False"
        ? `failed: ${blocker.message}`
        : blocker.suspended
        ? "is suspended"
        : "is not ready yet";
      const [head, ...rest] = chain;
      return `${head} waits for ${rest.join(", which waits for ")}, which ${state}`;
    }
    current = blocker;
  }
  return undefined;
}
