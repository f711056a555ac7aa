// dependsOn: a Kustomization waits until each dependency is Ready at its source's latest
// revision (a dependency that is Ready on an old revision is about to change under it).
import type { ArtifactStore } from "../sources/mod.ts";
import { explainWaiting, type StatusStore } from "../status/mod.ts";

export interface DependencyState {
  ready: boolean;
  /** Explained to the root cause when not ready. */
  message: string;
}

export function dependenciesReady(
  key: string,
  dependencies: string[],
  sourceOf: (dependency: string) => string | undefined,
  statuses: StatusStore,
  artifacts: ArtifactStore,
): DependencyState {
  for (const dep of dependencies) {
    const status = statuses.get(dep);
    const source = sourceOf(dep);
    const latest = source ? artifacts.get(source)?.revision : undefined;
    const ready = status?.ready === "True" && (!latest || status.revision === latest);
    if (!ready) {
      const explained = explainWaiting(statuses, key);
      const name = dep.split("/").slice(1).join("/");
      return {
        ready: false,
        message: explained ??
          `dependency '${name}' is not ready at its latest revision${latest ? ` (${latest})` : ""}`,
      };
    }
  }
  return { ready: true, message: "" };
}
