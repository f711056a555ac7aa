// helm-controller's origin labels, set on every object of a release.
import type { HelmRelease } from "../config/mod.ts";

export function helmReleaseLabels(hr: HelmRelease): Record<string, string> {
  return {
    "helm.toolkit.fluxcd.io/name": hr.metadata.name,
    "helm.toolkit.fluxcd.io/namespace": hr.metadata.namespace,
  };
}
