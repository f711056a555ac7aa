// The object page's root cause: from a not-ready object down its chain of sources and
// dependsOn to the first object that is not itself waiting, in one sentence. explainWaiting
// (agent/status) follows dependsOn only; a source is a link too, so "apps waits for infra,
// which waits for its source OCIRepository/flux-system/infra, which failed: ..." names the
// registry error rather than stopping at "infra failed: source ... is not ready".
import type { ObjectStatus, StatusStore } from "../status/mod.ts";

/** Reasons that say "another object is not ready", not "this one failed". */
const WAITING_REASONS = new Set(["DependencyNotReady", "ArtifactFailed"]);

interface Link {
  key: string;
  relation: "source" | "dependsOn";
}

export function rootCauseOf(
  store: StatusStore,
  key: string,
  sourceOf: (key: string) => string | undefined,
): string | undefined {
  const self = store.get(key);
  if (!self || self.ready === "True") return undefined;
  const hops: string[] = [];
  const seen = new Set([key]);
  let current = self;
  let currentKey = key;
  let end: string | undefined;
  while (WAITING_REASONS.has(current.reason)) {
    const blocker = linksOf(current, sourceOf(currentKey))
      .find((l) => !seen.has(l.key) && store.get(l.key)?.ready !== "True");
    if (!blocker) break;
    seen.add(blocker.key);
    hops.push(blocker.relation === "source" ? `its source ${blocker.key}` : nameOf(blocker.key));
    const next = store.get(blocker.key);
    if (!next) {
      end = "this agent does not reconcile";
      break;
    }
    current = next;
    currentKey = blocker.key;
  }
  if (hops.length === 0) {
    // Waiting with nothing left to wait for: its message is stale and it runs again right away.
    if (WAITING_REASONS.has(self.reason)) return undefined;
    return self.ready === "False" ? `${self.reason}: ${self.message}` : undefined;
  }
  // A last link that is itself waiting has nothing left to wait for: it runs again shortly.
  end ??= current.ready === "False" && !WAITING_REASONS.has(current.reason)
    ? `failed: ${current.message}`
    : current.suspended
    ? "is suspended"
    : "is not ready yet";
  return `${self.name} waits for ${hops.join(", which waits for ")}, which ${end}`;
}

/**
 * The links to look at, in the order the reconciler checks them: a Kustomization or
 * HelmRelease waits for dependsOn before it asks for its source's artifact.
 */
function linksOf(status: ObjectStatus, source: string | undefined): Link[] {
  const dependsOn: Link[] = (status.dependsOn ?? []).map((key) => ({ key, relation: "dependsOn" }));
  const sources: Link[] = source ? [{ key: source, relation: "source" }] : [];
  return status.reason === "DependencyNotReady"
    ? [...dependsOn, ...sources]
    : [...sources, ...dependsOn];
}

function nameOf(key: string): string {
  return key.split("/").slice(2).join("/");
}
