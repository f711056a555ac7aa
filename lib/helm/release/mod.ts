/**
 * Helm 3 release storage: releases as Helm's JSON, encoded base64(gzip(JSON)) into Secrets
 * `sh.helm.release.v1.<name>.v<version>` of type `helm.sh/release.v1`, so `helm list`,
 * `helm history`, `helm get values` and `helm upgrade` work on releases skiff writes, and skiff
 * adopts releases written by helm or helm-controller.
 *
 * ```ts
 * const storage = new ReleaseStorage(client, "apps");
 * const last = await storage.last("web");
 * await storage.pruneHistory("web", 5);
 * ```
 */
export type {
  ChartFileJson,
  ChartJson,
  HookExecution,
  HookPhase,
  Release,
  ReleaseHook,
  ReleaseInfo,
  ReleaseStatus,
} from "./types.ts";
export { ZERO_TIME } from "./types.ts";
export { ReleaseDecodeError, ReleaseNotFoundError } from "./errors.ts";
export { decodeRelease, encodeRelease, releaseJson } from "./codec.ts";
export { chartToJson, metadataJson } from "./chart_json.ts";
export {
  RELEASE_SECRET_TYPE,
  releaseFromSecret,
  releaseLabels,
  releaseSecretName,
  releaseToSecret,
} from "./secret.ts";
export { ReleaseStorage } from "./storage.ts";
export { base64ToBytes, bytesToBase64 } from "./base64.ts";
