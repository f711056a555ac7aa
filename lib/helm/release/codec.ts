// The body of a release Secret as Helm writes it: base64(gzip(JSON)). Helm's decoder also
// accepts an uncompressed body (releases written before compression), and so does this one.
import { ArchiveError, gunzipLimited, isGzip } from "../archive/mod.ts";
import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import { ReleaseDecodeError } from "./errors.ts";
import type { Release } from "./types.ts";

/** A release body larger than this after gunzip is refused (Secrets are capped at 1 MiB). */
const MAX_RELEASE_JSON_BYTES = 64 * 1024 * 1024;

/** JSON as Go would write it: bigints (from integer-preserving YAML) become plain numbers. */
export function releaseJson(release: Release): string {
  return JSON.stringify(release, (_k, v) => typeof v === "bigint" ? Number(v) : v);
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodeRelease(release: Release): Promise<string> {
  return bytesToBase64(await gzip(new TextEncoder().encode(releaseJson(release))));
}

export async function decodeRelease(body: string, source = "release"): Promise<Release> {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(body);
  } catch (e) {
    throw new ReleaseDecodeError(source, "the body is not base64", e);
  }
  if (isGzip(bytes)) {
    try {
      // Capped, so a small hostile Secret cannot inflate without bound.
      bytes = await gunzipLimited(bytes, MAX_RELEASE_JSON_BYTES, source, "the limit for a release");
    } catch (e) {
      const reason = e instanceof ArchiveError ? e.reason : (e as Error).message;
      throw new ReleaseDecodeError(source, `gunzip failed: ${reason}`, e);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ReleaseDecodeError(source, `the body is not JSON: ${(e as Error).message}`, e);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ReleaseDecodeError(source, "expected a JSON object");
  }
  const r = parsed as Partial<Release>;
  if (typeof r.name !== "string" || r.name === "") {
    throw new ReleaseDecodeError(source, "field name: expected a non-empty string");
  }
  if (r.version !== undefined && typeof r.version !== "number") {
    throw new ReleaseDecodeError(source, "field version: expected a number");
  }
  if (r.info !== undefined && (r.info === null || typeof r.info !== "object")) {
    throw new ReleaseDecodeError(source, "field info: expected an object");
  }
  return {
    ...r,
    name: r.name,
    version: r.version ?? 0,
    namespace: r.namespace ?? "",
    info: { deleted: r.info?.deleted ?? "0001-01-01T00:00:00Z", ...r.info },
  } as Release;
}
