// The artifacts sources produced, shared by the reconcilers that consume them. A new revision
// wakes every consumer of that source at once (no waiting for their own interval).
import type { Artifact } from "../../lib/git/mod.ts";

export type { Artifact };

/** A source has no artifact yet (never fetched, or every fetch failed). */
export class SourceNotReadyError extends Error {
  override readonly name = "SourceNotReadyError";
  constructor(readonly source: string, readonly detail: string) {
    super(`source ${source} is not ready: ${detail}`);
  }
}

export class ArtifactStore {
  readonly #artifacts = new Map<string, Artifact>();
  readonly #errors = new Map<string, string>();
  readonly #listeners = new Set<(source: string, artifact: Artifact) => void>();
  readonly #failureListeners = new Set<(source: string, message: string) => void>();

  /** Stores a source's artifact; listeners hear about it only when the revision changed. */
  set(source: string, artifact: Artifact): boolean {
    this.#errors.delete(source);
    const previous = this.#artifacts.get(source);
    this.#artifacts.set(source, artifact);
    const changed = previous?.revision !== artifact.revision ||
      previous?.digest !== artifact.digest;
    if (changed) { for (const listener of this.#listeners) listener(source, artifact); }
    return changed;
  }

  /**
   * Remembers why the latest fetch failed (the last good artifact, if any, stays served). A
   * source with no artifact at all tells its failure listeners when the reason changes, so its
   * consumers can say why they wait instead of "no artifact fetched yet".
   */
  fail(source: string, message: string): void {
    const previous = this.#errors.get(source);
    this.#errors.set(source, message);
    if (this.#artifacts.has(source) || previous === message) return;
    for (const listener of this.#failureListeners) listener(source, message);
  }

  get(source: string): Artifact | undefined {
    return this.#artifacts.get(source);
  }

  /** The artifact to render from, or SourceNotReadyError explaining why there is none. */
  require(source: string): Artifact {
    const artifact = this.#artifacts.get(source);
    if (artifact) return artifact;
    throw new SourceNotReadyError(source, this.#errors.get(source) ?? "no artifact fetched yet");
  }

  delete(source: string): void {
    this.#artifacts.delete(source);
    this.#errors.delete(source);
  }

  onNewRevision(listener: (source: string, artifact: Artifact) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A source without any artifact failed for a new reason. */
  onFailureWithoutArtifact(listener: (source: string, message: string) => void): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }
}
