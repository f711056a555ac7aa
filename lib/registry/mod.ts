// OCI distribution client: image references, credentials, tag listing, manifest digests.
export {
  DOCKER_HUB,
  DOCKER_HUB_ALIASES,
  type ImageReference,
  ImageReferenceError,
  normaliseRegistry,
  parseImageRef,
} from "./reference.ts";
export {
  CredentialsError,
  credentialsFromDockerConfig,
  type RegistryCredentials,
} from "./credentials.ts";
export { RegistryError, type RegistryFailure } from "./errors.ts";
export { BlobStream } from "./blob_stream.ts";
export { parseRetryAfter } from "./responses.ts";
export {
  listTags,
  type Manifest,
  RegistryClient,
  type RegistryClientOptions,
  type TagList,
} from "./client.ts";
export { type Challenge, parseChallenge } from "./www_authenticate.ts";
export { nextLink } from "./link_header.ts";
