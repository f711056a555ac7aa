// The manifests in deploy/ (owned by the project, shipped inside the compiled binary through
// `deno compile --include deploy`). Read relative to this module, so the same code works from
// source and from the binary's embedded file system.

/** The files bootstrap copies, in the order a kustomization lists them. */
export const DEPLOY_FILES = [
  "namespace.yaml",
  "serviceaccount.yaml",
  "rbac.yaml",
  "deployment.yaml",
] as const;

export type DeployFile = typeof DEPLOY_FILES[number];

/** File name → its text as shipped. */
export type DeployManifests = Record<DeployFile, string>;

export async function readDeployManifests(): Promise<DeployManifests> {
  const out: Partial<DeployManifests> = {};
  for (const name of DEPLOY_FILES) {
    out[name] = await Deno.readTextFile(new URL(`../../deploy/${name}`, import.meta.url));
  }
  return out as DeployManifests;
}
