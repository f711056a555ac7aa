// A bearer token read from a file that may be rotated underneath us (projected service-account
// tokens are refreshed by the kubelet every hour or so): re-read it when it may have changed.
import type { Credential, CredentialSource } from "./credentials.ts";
import { bearer } from "./credentials.ts";
import { KubeConfigError } from "../errors.ts";

export interface TokenFileOptions {
  /** Re-read at least this often, even without a 401 (client-go uses one minute). */
  maxAgeMs?: number;
  clock?: () => number;
  /** Also present this client certificate. */
  certPem?: string;
  keyPem?: string;
}

export function tokenFileCredentials(
  path: string,
  options: TokenFileOptions = {},
): CredentialSource {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  let cached: { token: string; readAt: number; mtime: number } | undefined;

  async function read(): Promise<string> {
    try {
      const info = await Deno.stat(path);
      const mtime = info.mtime?.getTime() ?? 0;
      if (cached && cached.mtime === mtime && clock() - cached.readAt < maxAgeMs) {
        return cached.token;
      }
      const token = (await Deno.readTextFile(path)).trim();
      if (token === "") throw new KubeConfigError(path, "", "the token file is empty");
      cached = { token, readAt: clock(), mtime };
      return token;
    } catch (e) {
      if (e instanceof KubeConfigError) throw e;
      // A rotation can briefly remove the file; a cached token is still the best answer.
      if (cached) return cached.token;
      throw new KubeConfigError(path, "", `cannot read the token file: ${(e as Error).message}`);
    }
  }

  return {
    async get(): Promise<Credential> {
      return {
        authorization: bearer(await read()),
        certPem: options.certPem,
        keyPem: options.keyPem,
      };
    },
    invalidate() {
      if (cached) cached.readAt = -Infinity;
    },
  };
}
