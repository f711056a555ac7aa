// The on-disk cache of one Git source, under the agent's cache dir:
//   <cacheDir>/git/<key>/repo.git         objects fetched so far (shallow, bare)
//   <cacheDir>/git/<key>/modules/<url>.git the same for each submodule URL (recurseSubmodules)
//   <cacheDir>/git/<key>/artifacts/a|b/   two artifact slots: one served, one being updated
//   <cacheDir>/git/<key>/manifest-a|b.json what each slot holds (paths, blob ids, hashes)
//   <cacheDir>/git/<key>/state.json       the last good artifact (and which slot holds it)
// A slot whose manifest is missing is in an unknown state and is rebuilt from scratch.
import { createHash } from "node:crypto";
import type { Manifest } from "./artifact.ts";
import { redactUrl } from "./errors.ts";
import type { Artifact } from "./fetch_types.ts";

/** More packs than this and the object store is dropped and fetched afresh (a crude gc). */
const MAX_PACKS = 24;

export interface SourceCache {
  root: string;
  gitdir: string;
  /** Object stores of submodules, one per submodule URL. */
  modulesDir: string;
  artifactsDir: string;
  statePath: string;
}

export function sourceCache(cacheDir: string, key: string): SourceCache {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  const suffix = createHash("sha256").update(key).digest("hex").slice(0, 8);
  const root = `${cacheDir}/git/${safe}-${suffix}`;
  return {
    root,
    gitdir: `${root}/repo.git`,
    modulesDir: `${root}/modules`,
    artifactsDir: `${root}/artifacts`,
    statePath: `${root}/state.json`,
  };
}

interface State {
  artifactId: string;
  artifact: Artifact;
}

export async function readState(cache: SourceCache): Promise<State | undefined> {
  try {
    const state = JSON.parse(await Deno.readTextFile(cache.statePath)) as State;
    await Deno.stat(state.artifact.dir);
    return state;
  } catch {
    return undefined;
  }
}

export async function writeState(cache: SourceCache, state: State): Promise<void> {
  const tmp = `${cache.statePath}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(state, null, 2));
  await Deno.rename(tmp, cache.statePath);
}

/** The object store of the submodule fetched from `url` (credentials never part of the name). */
export function moduleGitdir(modulesDir: string, url: string): string {
  const safe = redactUrl(url).replace(/^[a-z]+:\/\//i, "").replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(-60);
  const suffix = createHash("sha256").update(redactUrl(url)).digest("hex").slice(0, 8);
  return `${modulesDir}/${safe}-${suffix}.git`;
}

/** Removes anything in the artifacts directory but the two slots. */
export async function pruneArtifacts(cache: SourceCache): Promise<void> {
  for await (const entry of Deno.readDir(cache.artifactsDir)) {
    if (entry.name !== "a" && entry.name !== "b") {
      await Deno.remove(`${cache.artifactsDir}/${entry.name}`, { recursive: true }).catch(() => {});
    }
  }
}

/** Drops the object store when incremental fetches have piled up too many packs. */
export async function compactIfNeeded(cache: SourceCache): Promise<void> {
  await compactGitdir(cache.gitdir);
}

/** compactIfNeeded for any object store of the cache (a submodule's too). */
export async function compactGitdir(gitdir: string): Promise<void> {
  let packs = 0;
  try {
    for await (const entry of Deno.readDir(`${gitdir}/objects/pack`)) {
      if (entry.name.endsWith(".pack")) packs++;
    }
  } catch {
    return;
  }
  if (packs > MAX_PACKS) await Deno.remove(gitdir, { recursive: true });
}

/** Removes the object stores of submodules that are no longer used (`used`: their paths). */
export async function pruneModules(modulesDir: string, used: Set<string>): Promise<void> {
  try {
    for await (const entry of Deno.readDir(modulesDir)) {
      const path = `${modulesDir}/${entry.name}`;
      if (!used.has(path)) await Deno.remove(path, { recursive: true }).catch(() => {});
    }
  } catch {
    // no submodules fetched yet
  }
}

/** A stable id for an artifact built from `parts` (commit, ignore rules, included digests). */
export function artifactId(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 24);
}

export function slotDir(cache: SourceCache, slot: "a" | "b"): string {
  return `${cache.artifactsDir}/${slot}`;
}

function manifestPath(cache: SourceCache, slot: "a" | "b"): string {
  return `${cache.root}/manifest-${slot}.json`;
}

/** What `slot` holds, if its manifest is there and describes `dir`. */
export async function readManifest(
  cache: SourceCache,
  slot: "a" | "b",
  dir: string,
): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await Deno.readTextFile(manifestPath(cache, slot))) as Manifest;
    return manifest.dir === dir ? manifest : undefined;
  } catch {
    return undefined;
  }
}

export async function writeManifest(
  cache: SourceCache,
  slot: "a" | "b",
  manifest: Manifest,
): Promise<void> {
  const path = manifestPath(cache, slot);
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(manifest));
  await Deno.rename(`${path}.tmp`, path);
}

export async function removeManifest(cache: SourceCache, slot: "a" | "b"): Promise<void> {
  await Deno.remove(manifestPath(cache, slot)).catch(() => {});
}
