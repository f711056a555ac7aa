// The files bootstrap commits under `<path>/skiff-system/`: deploy/'s manifests (namespace and
// image chosen by the options, comments kept), skiff's own config (Agent, a GitRepository for
// this repository, a Kustomization for `<path>`), and a kustomization.yaml tying them together
// with the config as ConfigMap `skiff-config`. Generation is deterministic, so running bootstrap
// again with the same options changes no byte, and with new options only the lines they touch.
import { YAML } from "../../lib/yaml/mod.ts";
import { DEPLOY_FILES, type DeployFile, type DeployManifests } from "./deploy_files.ts";
import { BootstrapOptionError } from "./errors.ts";

/** The folder under `<path>` that holds skiff's own files. */
export const COMPONENT_DIR = "skiff-system";
/** Name of the GitRepository and Kustomization that sync `<path>` (like Flux's flux-system). */
export const SYNC_NAME = "skiff-system";
/** The Git credentials Secret: created in the cluster by bootstrap, never committed. */
export const CREDENTIALS_SECRET = "skiff-git-credentials";
/** The ConfigMap deploy/deployment.yaml mounts at /etc/skiff. */
export const CONFIG_MAP = "skiff-config";
export const CONFIG_FILE = "skiff.yaml";
/** First line of every generated file: how bootstrap tells its own files from a user's. */
export const MARKER = "# Managed by skiff bootstrap.";

export interface BootstrapSettings {
  /** The repository URL, without credentials. */
  url: string;
  branch: string;
  /** `<path>` inside the repository, normalised (see normalizeRepoPath). */
  path: string;
  namespace: string;
  /** The agent image; default: deploy/deployment.yaml's. */
  image?: string;
  /** Interval of the GitRepository and the Kustomization (a Go duration). */
  interval: string;
  /** Whether the GitRepository names the credentials Secret. */
  withCredentials: boolean;
}

const HEADER = `${MARKER} Running bootstrap again rewrites this file from its options;
# edits made here are kept until then (skiff applies them to itself like any other change).
`;

/** "./clusters/prod/" → "clusters/prod"; refuses paths that leave the repository. */
export function normalizeRepoPath(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return "";
  if (parts.some((p) => p === "..")) {
    throw new BootstrapOptionError("--path", `"${path}" leaves the repository (no ".." allowed)`);
  }
  if (parts[0] === ".git") {
    throw new BootstrapOptionError("--path", `"${path}" is inside .git`);
  }
  return parts.join("/");
}

/** File name (relative to `<path>/skiff-system`) → content, in a stable order. */
export function generateFiles(
  settings: BootstrapSettings,
  deploy: DeployManifests,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of DEPLOY_FILES) {
    files.set(name, HEADER + rewriteManifest(name, deploy[name], settings));
  }
  files.set(CONFIG_FILE, HEADER + agentConfig(settings));
  files.set("kustomization.yaml", HEADER + kustomization(settings));
  return files;
}

/**
 * deploy/'s file with the namespace (and, for the Deployment, the image) replaced. The values
 * are replaced in the source text, so everything else (comments, flow style, quoting) stays
 * byte for byte as the project wrote it.
 */
function rewriteManifest(name: DeployFile, text: string, settings: BootstrapSettings): string {
  const edits: Array<{ start: number; end: number; value: string }> = [];
  const set = (doc: YAML.Document, path: Array<string | number>, value: string) => {
    const node = doc.getIn(path, true);
    if (!YAML.isScalar(node) || !node.range) return;
    edits.push({ start: node.range[0], end: node.range[1], value: yamlScalar(value) });
  };
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      // deploy/ ships with the binary: a broken file is a build mistake, not a user error.
      throw new Error(`deploy/${name}: ${doc.errors[0].message}`);
    }
    const kind = doc.get("kind");
    if (kind === "Namespace") set(doc, ["metadata", "name"], settings.namespace);
    set(doc, ["metadata", "namespace"], settings.namespace);
    if (kind === "RoleBinding" || kind === "ClusterRoleBinding") {
      const subjects = doc.get("subjects");
      const count = YAML.isSeq(subjects) ? subjects.items.length : 0;
      for (let i = 0; i < count; i++) set(doc, ["subjects", i, "namespace"], settings.namespace);
    }
    if (kind === "Deployment" && settings.image) {
      set(doc, ["spec", "template", "spec", "containers", 0, "image"], settings.image);
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.value + out.slice(edit.end);
  }
  return out;
}

function agentConfig(s: BootstrapSettings): string {
  const secretRef = s.withCredentials
    ? `  # Credentials live in the cluster only (created by bootstrap, never committed).
  secretRef:
    name: ${CREDENTIALS_SECRET}
`
    : "";
  const syncPath = s.path === "" ? "./" : `./${s.path}`;
  return `# skiff's own configuration, mounted from ConfigMap ${CONFIG_MAP} at /etc/skiff/${CONFIG_FILE}.
# The agent reloads it when it changes: add GitRepositories, Kustomizations, HelmReleases...
# here, or keep them as documents of your own in other files referenced from this one.
apiVersion: skiff.dev/v1alpha1
kind: Agent
metadata:
  name: skiff
spec:
  # Where skiff keeps its inventories, leases and events.
  namespace: ${s.namespace}
  cluster:
    inCluster: true
  # An emptyDir volume of the Deployment (the root file system is read-only).
  cacheDir: /var/cache/skiff
  server:
    address: ":9090"
  log:
    format: json
---
# The repository this cluster follows.
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${SYNC_NAME}
  namespace: ${s.namespace}
spec:
  interval: ${s.interval}
  url: ${yamlScalar(s.url)}
  ref:
    branch: ${yamlScalar(s.branch)}
${secretRef}---
# Everything under ${syncPath}, skiff's own manifests (./${COMPONENT_DIR}) included: changing
# them in Git is how skiff is upgraded or reconfigured.
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${SYNC_NAME}
  namespace: ${s.namespace}
spec:
  interval: ${s.interval}
  path: ${yamlScalar(syncPath)}
  prune: true
  sourceRef:
    kind: GitRepository
    name: ${SYNC_NAME}
`;
}

function kustomization(s: BootstrapSettings): string {
  return `# What skiff applies to install (and later upgrade) itself.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${
    DEPLOY_FILES.map((f) => `  - ${f}\n`).join("")
  }# The agent's config as the ConfigMap the Deployment mounts. No name suffix: the volume names
# it, and the agent picks up a changed file without a restart.
configMapGenerator:
  - name: ${CONFIG_MAP}
    namespace: ${s.namespace}
    files:
      - ${CONFIG_FILE}
    options:
      disableNameSuffixHash: true
      labels:
        app.kubernetes.io/name: skiff
`;
}

/** A plain scalar when YAML reads it back unchanged, else a quoted one. */
function yamlScalar(value: string): string {
  return YAML.stringify(value, { lineWidth: 0 }).trimEnd();
}
