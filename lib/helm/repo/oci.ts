// Charts in OCI registries (`oci://host/path/chart`): the version chosen from the repository's
// tags (Helm writes `+` as `_` in tags), then the manifest's chart layer pulled and checked
// against its digest, through lib/registry (bearer-token auth included).
import {
  RegistryClient,
  type RegistryClientOptions,
  type RegistryCredentials,
} from "../../registry/mod.ts";
import { RepoError } from "./errors.ts";
import { selectVersion } from "./select.ts";

export const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

export interface OciChart {
  name: string;
  version: string;
  /** The manifest digest the chart was pulled by. */
  digest: string;
  archive: Uint8Array;
}

function isExactVersion(c: string): boolean {
  return /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(c.trim());
}

/** Pulls `oci://registry/repo/chart` at the highest tag matching `constraint` ("" = latest). */
export async function resolveOciChart(
  url: string,
  constraint: string,
  credentials?: RegistryCredentials,
  options: RegistryClientOptions = {},
): Promise<OciChart> {
  if (!url.startsWith("oci://")) {
    throw new RepoError(url, "an OCI chart reference starts with oci://");
  }
  const image = url.slice("oci://".length).replace(/\/+$/, "");
  const name = image.slice(image.lastIndexOf("/") + 1);
  const client = new RegistryClient(options);
  try {
    let version: string;
    if (isExactVersion(constraint)) version = constraint.trim();
    else {
      const { tags } = await client.listTags(image, credentials);
      const entries = tags.map((t) => ({ name, version: t.replaceAll("_", "+"), urls: [] }));
      const picked = selectVersion(entries, constraint);
      if (!picked) {
        throw new RepoError(
          url,
          `no chart version found for ${name}-${constraint} among ${tags.length} tags`,
        );
      }
      version = picked.version;
    }
    const ref = `${image}:${version.replaceAll("+", "_")}`;
    const manifest = await client.manifest(ref, credentials);
    const layers =
      (manifest.json as { layers?: Array<{ mediaType?: string; digest?: string }> }).layers ?? [];
    const layer = layers.find((l) => l.mediaType === HELM_CHART_LAYER);
    if (!layer?.digest) {
      throw new RepoError(
        url,
        `${ref} has no Helm chart layer (${HELM_CHART_LAYER}); is it a chart?`,
      );
    }
    const archive = await client.blob(ref, layer.digest, credentials);
    return { name, version, digest: manifest.digest, archive };
  } catch (e) {
    if (e instanceof RepoError) throw e;
    throw new RepoError(url, (e as Error).message, e);
  } finally {
    client.close();
  }
}
