// What a fetching source (GitRepository, OCIRepository) reports after a fetch. A new artifact
// goes into service for the consumers; a failed fetch keeps the last good one serving, so
// nothing downstream prunes or reverts because a server hiccuped.
import type { Artifact, ArtifactStore } from "../sources/mod.ts";
import type { Outcome } from "./types.ts";

/** Serves the fetched artifact; `names` is what its revision is called in the message. */
export function artifactStored(
  artifacts: ArtifactStore,
  key: string,
  artifact: Artifact,
  names: "revision" | "digest",
): Outcome {
  artifacts.set(key, artifact);
  return {
    ready: "True",
    reason: "Succeeded",
    message: `stored artifact for ${names} '${artifact.revision}'`,
    revision: artifact.revision,
  };
}

/** Records a failed fetch under Flux's `reason`; the outcome names the revision still served. */
export function fetchFailed(
  artifacts: ArtifactStore,
  key: string,
  error: { message: string; lastArtifact?: Artifact },
  reason: string,
): Outcome {
  // The last good artifact (e.g. from before a restart) keeps consumers working.
  if (error.lastArtifact && !artifacts.get(key)) artifacts.set(key, error.lastArtifact);
  artifacts.fail(key, error.message);
  return { ready: "False", reason, message: error.message, revision: artifacts.get(key)?.revision };
}
