// Artifacts shared between source reconcilers and their consumers.
export { type Artifact, ArtifactStore, SourceNotReadyError } from "./store.ts";
