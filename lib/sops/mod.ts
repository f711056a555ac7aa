// SOPS decryption in TypeScript (no sops binary): age and OpenPGP master keys, the YAML, JSON,
// dotenv, INI and binary stores, AES-256-GCM values and SOPS's MAC, read and checked the way
// Flux's kustomize-controller does.
export {
  DECRYPT_ANNOTATION,
  type DecryptContext,
  Decryptor,
  type DecryptorOptions,
  type FileOptions,
  MAX_ENCRYPTED_FILE_BYTES,
} from "./decryptor.ts";
export {
  SopsError,
  type SopsFailure,
  SopsKeyError,
  SopsMacError,
  SopsNoKeyError,
  SopsUnsupportedError,
} from "./errors.ts";
export { detectFormat, formatForEnvFile, formatForPath, hasSopsMarker } from "./format.ts";
export {
  AGE_KEY_SUFFIX,
  Keyring,
  PGP_KEY_SUFFIX,
  type SecretKeysOptions,
  UNSUPPORTED_SECRET_ENTRIES,
} from "./keyring.ts";
export { ageWrap } from "./keys/age.ts";
export { decryptRenderedFile, type FileRole, type RenderedFile } from "./render_hook.ts";
export type { SopsFormat } from "./stores/store.ts";
