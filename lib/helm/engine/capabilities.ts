// `.Capabilities`: the Kubernetes version and API versions a chart is rendered for, and Helm's
// own version. Offline defaults are Helm's: Kubernetes v1.20.0 and client-go's built-in APIs.
import { withGoType } from "../../gotemplate/mod.ts";

export class KubeVersion {
  static goType = "chartutil.KubeVersion";
  constructor(readonly Version: string, readonly Major: string, readonly Minor: string) {}
  String(): string {
    return this.Version;
  }
  GitVersion(): string {
    return this.Version;
  }
  toJSON() {
    return { version: this.Version, major: this.Major, minor: this.Minor };
  }
}

export class KubeVersionError extends Error {
  override readonly name = "KubeVersionError";
  constructor(readonly input: string) {
    super(`invalid kube version ${JSON.stringify(input)}: expected a version like v1.28.3 or 1.28`);
  }
}

/** Parses `--kube-version` the way Helm does (a leading v optional; minor required). */
export function parseKubeVersion(text: string): KubeVersion {
  const m = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(
    text.trim(),
  );
  if (!m) throw new KubeVersionError(text);
  const version = `v${m[1]}.${m[2] ?? "0"}.${m[3] ?? "0"}${m[4] ?? ""}${m[5] ?? ""}`;
  return new KubeVersion(version, m[1], m[2] ?? "0");
}

/** The group/versions the API server offers; `Has` is what charts call. */
export class VersionSet {
  static goType = "chartutil.VersionSet";
  readonly #set: Set<string>;
  constructor(readonly versions: string[]) {
    this.#set = new Set(versions);
  }
  Has(apiVersion: string): boolean {
    return this.#set.has(String(apiVersion));
  }
  toJSON(): string[] {
    return this.versions;
  }
}

export class HelmVersion {
  static goType = "version.BuildInfo";
  readonly Version = "v3.21.0";
  readonly GitCommit = "";
  readonly GitTreeState = "";
  readonly GoVersion = "go1.24";
  toJSON() {
    return {
      version: this.Version,
      git_commit: this.GitCommit,
      git_tree_state: this.GitTreeState,
      go_version: this.GoVersion,
    };
  }
}

export class Capabilities {
  static goType = "chartutil.Capabilities";
  readonly HelmVersion = new HelmVersion();
  constructor(readonly KubeVersion: KubeVersion, readonly APIVersions: VersionSet) {}
}

/** Group/versions client-go knows, which Helm offers when it cannot ask a cluster. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  "v1",
  "admissionregistration.k8s.io/v1",
  "admissionregistration.k8s.io/v1alpha1",
  "admissionregistration.k8s.io/v1beta1",
  "apps/v1",
  "apps/v1beta1",
  "apps/v1beta2",
  "authentication.k8s.io/v1",
  "authentication.k8s.io/v1alpha1",
  "authentication.k8s.io/v1beta1",
  "authorization.k8s.io/v1",
  "authorization.k8s.io/v1beta1",
  "autoscaling/v1",
  "autoscaling/v2",
  "autoscaling/v2beta1",
  "autoscaling/v2beta2",
  "batch/v1",
  "batch/v1beta1",
  "certificates.k8s.io/v1",
  "certificates.k8s.io/v1alpha1",
  "certificates.k8s.io/v1beta1",
  "coordination.k8s.io/v1",
  "coordination.k8s.io/v1alpha1",
  "coordination.k8s.io/v1beta1",
  "discovery.k8s.io/v1",
  "discovery.k8s.io/v1beta1",
  "events.k8s.io/v1",
  "events.k8s.io/v1beta1",
  "extensions/v1beta1",
  "flowcontrol.apiserver.k8s.io/v1",
  "flowcontrol.apiserver.k8s.io/v1beta1",
  "flowcontrol.apiserver.k8s.io/v1beta2",
  "flowcontrol.apiserver.k8s.io/v1beta3",
  "networking.k8s.io/v1",
  "networking.k8s.io/v1alpha1",
  "networking.k8s.io/v1beta1",
  "node.k8s.io/v1",
  "node.k8s.io/v1alpha1",
  "node.k8s.io/v1beta1",
  "policy/v1",
  "policy/v1beta1",
  "rbac.authorization.k8s.io/v1",
  "rbac.authorization.k8s.io/v1alpha1",
  "rbac.authorization.k8s.io/v1beta1",
  "scheduling.k8s.io/v1",
  "scheduling.k8s.io/v1alpha1",
  "scheduling.k8s.io/v1beta1",
  "storage.k8s.io/v1",
  "storage.k8s.io/v1alpha1",
  "storage.k8s.io/v1beta1",
];

export interface CapabilityOptions {
  /** e.g. "v1.28.3" or "1.28"; default v1.20.0. */
  kubeVersion?: string;
  /** Extra API versions (`--api-versions`), added to the defaults. */
  apiVersions?: string[];
}

export function makeCapabilities(options: CapabilityOptions = {}): Capabilities {
  const kube = options.kubeVersion
    ? parseKubeVersion(options.kubeVersion)
    : new KubeVersion("v1.20.0", "1", "20");
  const versions = [...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])];
  return new Capabilities(kube, new VersionSet(withGoType(versions, "chartutil.VersionSet")));
}
