// A HelmRelease's objects for the status page: what its Helm release applied, read from Helm's
// release storage (so it survives restarts and agrees with `helm get manifest`). The newest
// deployed revision is what runs; without one, the newest revision is what was tried last.
import { Inventory, type InventoryEntry, type KubeClient } from "../../lib/kube/mod.ts";

/** Where a HelmRelease's release lives (the spec fields, with the config's defaults applied). */
export interface HelmReleaseTarget {
  releaseName: string;
  storageNamespace: string;
}

export interface HelmReleaseInventory {
  entries: InventoryEntry[];
  /** Which revision the entries come from, when it is not a deployed one. */
  note?: string;
}

export async function helmReleaseInventory(
  client: KubeClient,
  target: HelmReleaseTarget,
): Promise<HelmReleaseInventory> {
  // lib/helm loads on first use (an agent without HelmReleases never holds it); once a
  // HelmRelease has been reconciled these imports are already in memory.
  const [{ ReleaseStorage }, { manifestObjects, withNamespaces }] = await Promise.all([
    import("../../lib/helm/release/mod.ts"),
    import("../../lib/helm/actions/mod.ts"),
  ]);
  const { releaseName, storageNamespace } = target;
  const history = await new ReleaseStorage(client, storageNamespace).history(releaseName);
  const release = history.filter((r) => r.info.status === "deployed").at(-1) ?? history.at(-1);
  if (!release) {
    return { entries: [], note: `release ${storageNamespace}/${releaseName} is not installed` };
  }
  const source = `release ${release.namespace}/${release.name}.v${release.version}`;
  const objects = await withNamespaces(
    client,
    manifestObjects(release.manifest ?? "", source),
    release.namespace,
  );
  const status = release.info.status ?? "unknown";
  return {
    entries: Inventory.fromObjects(objects).entries(),
    note: status === "deployed"
      ? undefined
      : `no deployed revision: the objects of revision ${release.version} (${status})`,
  };
}
