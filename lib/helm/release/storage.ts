// Release history in the storage namespace, read and written the way Helm's Storage does:
// revisions are Secrets selected by `owner=helm,name=<release>`, the newest version is "last",
// the newest with status deployed is "deployed", and history is pruned to maxHistory revisions.
import { KubeApiError, type KubeClient, type KubeObject } from "../../kube/mod.ts";
import { ReleaseNotFoundError } from "./errors.ts";
import { releaseFromSecret, releaseSecretName, releaseToSecret } from "./secret.ts";
import type { Release } from "./types.ts";

export class ReleaseStorage {
  constructor(
    readonly client: KubeClient,
    readonly namespace: string,
    readonly now: () => Date = () => new Date(),
  ) {}

  /** Every stored revision of a release, oldest first. */
  async history(name: string): Promise<Release[]> {
    const list = await this.client.list("v1", "Secret", {
      namespace: this.namespace,
      labelSelector: `owner=helm,name=${name}`,
    });
    const releases = await Promise.all(list.items.map((s) => releaseFromSecret(s)));
    return releases.filter((r) => r.name === name).sort((a, b) => a.version - b.version);
  }

  /** Names of every release stored in the namespace (like `helm list -a`). */
  async releaseNames(): Promise<string[]> {
    const list = await this.client.list("v1", "Secret", {
      namespace: this.namespace,
      labelSelector: "owner=helm",
    });
    return [...new Set(list.items.map((s) => s.metadata.labels?.name ?? ""))].filter(Boolean)
      .sort();
  }

  async get(name: string, version: number): Promise<Release> {
    const secret = await this.client.getIfExists(
      "v1",
      "Secret",
      releaseSecretName(name, version),
      this.namespace,
    );
    if (!secret) throw new ReleaseNotFoundError(name, this.namespace, version);
    return await releaseFromSecret(secret);
  }

  /** The newest revision, whatever its status; undefined when the release was never stored. */
  async last(name: string): Promise<Release | undefined> {
    return (await this.history(name)).at(-1);
  }

  /** The newest revision with status deployed. */
  async deployed(name: string): Promise<Release | undefined> {
    return (await this.history(name)).filter((r) => r.info.status === "deployed").at(-1);
  }

  async create(release: Release): Promise<void> {
    const secret = await releaseToSecret(release, this.namespace, { createdAt: this.now() });
    await this.client.create(secret);
  }

  /** Rewrites a stored revision (status changes, hook results), keeping its createdAt. */
  async update(release: Release): Promise<void> {
    const name = releaseSecretName(release.name, release.version);
    const live = await this.client.getIfExists("v1", "Secret", name, this.namespace);
    if (!live) return await this.create(release);
    const secret: KubeObject = await releaseToSecret(release, this.namespace, {
      modifiedAt: this.now(),
    });
    const createdAt = live.metadata.labels?.createdAt;
    if (createdAt) secret.metadata.labels = { ...secret.metadata.labels, createdAt };
    secret.metadata.resourceVersion = live.metadata.resourceVersion;
    await this.client.update(secret);
  }

  async delete(name: string, version: number): Promise<void> {
    try {
      await this.client.delete({
        apiVersion: "v1",
        kind: "Secret",
        name: releaseSecretName(name, version),
        namespace: this.namespace,
      });
    } catch (e) {
      if (!(e instanceof KubeApiError && e.isNotFound)) throw e;
    }
  }

  /**
   * Keeps `max` revisions (0 = all) as Helm's removeLeastRecent does: the oldest go first, but
   * never the newest deployed one, so a later rollback always has a target.
   */
  async pruneHistory(name: string, max: number): Promise<number[]> {
    if (max <= 0) return [];
    const history = await this.history(name);
    const deployed = history.filter((r) => r.info.status === "deployed").at(-1);
    const removed: number[] = [];
    for (const r of history) {
      if (history.length - removed.length <= max) break;
      if (r.version === deployed?.version) continue;
      await this.delete(name, r.version);
      removed.push(r.version);
    }
    return removed;
  }
}
