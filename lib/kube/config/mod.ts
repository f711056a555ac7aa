// Cluster access configuration: kubeconfig files, exec plugins, in-cluster service accounts.
export type {
  ClusterConfig,
  Credential,
  CredentialSource,
  Impersonation,
  TlsSettings,
} from "./credentials.ts";
export { staticCredentials } from "./credentials.ts";
export { loadKubeConfig, type LoadKubeConfigOptions } from "./load.ts";
export { type InClusterOptions, loadInClusterConfig, SERVICE_ACCOUNT_DIR } from "./in_cluster.ts";
export { type ExecConfig, execCredentials, type ExecOptions } from "./exec.ts";
export { tokenFileCredentials } from "./token_file.ts";
