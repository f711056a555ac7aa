// Bootstrap (install skiff and commit its own manifests and config to Git, so it then manages
// itself) and uninstall.
//
//   const result = await bootstrap({ url, branch: "main", path: "clusters/prod",
//     namespace: "skiff-system", interval: "1m", author, client, timeoutMs: 300_000 });
//   await uninstall(client, { namespace: "skiff-system", prune: false, timeoutMs: 60_000 });
export { bootstrap, type BootstrapOptions, type BootstrapResult } from "./bootstrap.ts";
export { uninstall, type UninstallOptions, type UninstallResult } from "./uninstall.ts";
export {
  type BootstrapSettings,
  COMPONENT_DIR,
  CONFIG_FILE,
  CONFIG_MAP,
  CREDENTIALS_SECRET,
  generateFiles,
  MARKER,
  normalizeRepoPath,
  SYNC_NAME,
} from "./manifests.ts";
export { type DeployManifests, readDeployManifests } from "./deploy_files.ts";
export { commitBootstrapFiles, type RepositoryResult, type RepositorySpec } from "./repository.ts";
export { checkPermissions, install, waitForFirstReconcile } from "./cluster.ts";
export {
  AgentNotReadyError,
  BootstrapOptionError,
  PathConflictError,
  PermissionError,
  RepositoryError,
} from "./errors.ts";
