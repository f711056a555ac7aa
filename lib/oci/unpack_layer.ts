// A layer unpacked as it downloads: blob → gunzip → tar entries → files in a staging directory,
// never more than a chunk of it in memory. The layer's digest can only be checked once the last
// byte has arrived, so the staging directory is promoted after that check and discarded on any
// failure, leaving the last good artifact in place.
import { type ArchiveLimits, readTgzStream } from "../archive/mod.ts";
import { type BlobStream, RegistryError } from "../registry/mod.ts";
import { ArtifactStaging, type PromotedArtifact } from "./artifact_staging.ts";
import { isSourceIgnore, keepRule } from "./ignore.ts";

/**
 * Unpacks `blob` into the artifact directory `<root>/<name>`. `ignore` is spec.ignore
 * (undefined: Flux's default exclusions); null keeps every file (the `copy` operation).
 */
export async function unpackLayer(
  blob: BlobStream,
  root: string,
  name: string,
  source: string,
  ignore: string | undefined | null,
  limits: Partial<ArchiveLimits> | undefined,
): Promise<PromotedArtifact> {
  const sourceIgnores: { name: string; text: string }[] = [];
  const decoder = new TextDecoder();
  let staging: ArtifactStaging | undefined;
  try {
    staging = await ArtifactStaging.open(root, name);
    const files = staging;
    try {
      await readTgzStream(
        blob.chunks(),
        async (entry, body) => {
          const path = entry.name.replace(/^(\.\/)+/, "");
          if (path === "" || path.endsWith("/")) return;
          if (ignore === null || !isSourceIgnore(path)) {
            await files.write(path, entry.mode, entry.size, body);
            return;
          }
          // A .sourceignore can hide files that came before it: its patterns are kept (a few
          // lines) and every file is decided at the end, when all of them are known.
          const chunks: Uint8Array[] = [];
          await files.write(path, entry.mode, entry.size, tee(body, chunks));
          sourceIgnores.push({
            name: path,
            text: chunks.map((c) => decoder.decode(c, { stream: true })).join("") +
              decoder.decode(),
          });
        },
        source,
        limits,
      );
    } catch (e) {
      // Bytes that are not the layer explain any failure better than its symptom (a corrupt
      // gzip trailer, a tar header that does not parse), as when the blob was checked first.
      if (!(e instanceof RegistryError)) await throwIfCorrupt(blob);
      throw e;
    }
    await blob.verify();
    const keep = ignore === null ? () => true : keepRule(sourceIgnores, ignore);
    return await staging.promote(keep);
  } catch (e) {
    await blob.cancel();
    await staging?.discard();
    throw e;
  }
}

/**
 * Throws the blob's digest mismatch (or excess size) when there is one; a failure of the check
 * itself (the connection dropped) is not the story, the caller's failure is.
 */
async function throwIfCorrupt(blob: BlobStream): Promise<void> {
  try {
    await blob.verify();
  } catch (mismatch) {
    if (mismatch instanceof RegistryError && mismatch.reason === "InvalidResponse") throw mismatch;
  }
}

async function* tee(
  body: AsyncIterable<Uint8Array>,
  into: Uint8Array[],
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    into.push(chunk.slice());
    yield chunk;
  }
}
