// What image scanning found, shared between the image reconcilers: the tags of each
// ImageRepository and the latest image each ImagePolicy selected.
export interface ScannedRepository {
  canonicalImageName: string;
  tags: string[];
  /** A short fingerprint of the tag list, to tell whether anything changed. */
  fingerprint: string;
}

export class ImageStore {
  readonly #repositories = new Map<string, ScannedRepository>();
  readonly #latest = new Map<string, string>();

  /** Stores a scan; true when the tag list changed. */
  setTags(key: string, scan: ScannedRepository): boolean {
    const changed = this.#repositories.get(key)?.fingerprint !== scan.fingerprint;
    this.#repositories.set(key, scan);
    return changed;
  }

  repository(key: string): ScannedRepository | undefined {
    return this.#repositories.get(key);
  }

  /** Stores a policy's latest image; true when it changed. */
  setLatest(key: string, image: string): boolean {
    const changed = this.#latest.get(key) !== image;
    this.#latest.set(key, image);
    return changed;
  }

  latest(key: string): string | undefined {
    return this.#latest.get(key);
  }
}
