// Artifact directories of one OCIRepository under `<cacheDir>/oci/<source>/`: each pulled
// content gets its own directory, written under a temporary name and renamed into place
// (artifact_staging.ts), so a consumer never reads a half-written artifact. `current.json` names
// the last good one (so a restart serves it while the registry is down); older directories are
// removed, keeping the previous one, which a consumer may still be rendering from.
import { createHash } from "node:crypto";
import type { Artifact } from "../git/mod.ts";

/** The directory holding one source's artifacts. */
export function sourceRoot(cacheDir: string, key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100);
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 12);
  return `${cacheDir}/oci/${safe}-${hash}`;
}

/** The last good artifact recorded in `root`, if its directory is still there. */
export async function lastArtifact(root: string): Promise<Artifact | undefined> {
  try {
    const artifact = JSON.parse(await Deno.readTextFile(`${root}/current.json`)) as Artifact;
    await Deno.stat(artifact.dir);
    return artifact;
  } catch {
    return undefined;
  }
}

/** Records `artifact` as the current one and removes all but it and `previous`. */
export async function commitArtifact(
  root: string,
  artifact: Artifact,
  previous: Artifact | undefined,
): Promise<void> {
  const tmp = `${root}/.current.json.${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(tmp, JSON.stringify(artifact));
  await Deno.rename(tmp, `${root}/current.json`);
  const keep = new Set([artifact.dir, previous?.dir]);
  for await (const entry of Deno.readDir(root)) {
    const path = `${root}/${entry.name}`;
    if (!entry.isDirectory || keep.has(path)) continue; // also staging dirs a crash left
    await Deno.remove(path, { recursive: true }).catch(() => {});
  }
}
