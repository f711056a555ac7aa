// fetchGitArtifact: the GitRepository source step. One ls-remote decides whether anything
// changed; only then objects are fetched (shallow, incremental) and an artifact directory is
// built from the object store, with no working tree. On failure the last good artifact stays on
// disk and is attached to the error, so the caller keeps serving it and prunes nothing.
import { commitEntries, EMPTY_DIR_MODE, keptFiles, updateArtifact } from "./artifact.ts";
import { registerSecrets } from "./auth.ts";
import {
  artifactId,
  compactIfNeeded,
  pruneArtifacts,
  readManifest,
  readState,
  removeManifest,
  slotDir,
  type SourceCache,
  sourceCache,
  writeManifest,
  writeState,
} from "./cache.ts";
import { classifyGitError } from "./classify.ts";
import { GitError, redactUrl } from "./errors.ts";
import type { Artifact, FetchOptions, GitFetchSpec } from "./fetch_types.ts";
import { withIncludes } from "./include.ts";
import { listLocalRefs, localGitdir } from "./local_refs.ts";
import { ObjectStore } from "./objects/store.ts";
import { fetchObjects } from "./fetch_objects.ts";
import { type RemoteRef, resolveRef } from "./refs.ts";
import { openRemote, type Remote } from "./remote.ts";
import { type Advertisement, discoverRefs } from "./protocol/discovery.ts";
import { withSubmodules } from "./submodules.ts";
import { parseRemoteUrl } from "./url.ts";
import { verifySignatures } from "./verify.ts";

const DEFAULT_TIMEOUT_MS = 60_000;

/** A failed fetch, with the artifact that should keep being served (if there is one). */
export class GitFetchError extends GitError {
  constructor(error: GitError, readonly lastArtifact: Artifact | undefined) {
    super(error.reason, error.message, undefined, error.cause ?? error);
  }
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Fetches `spec` into `<cacheDir>/git/...` and returns its artifact. Throws GitFetchError
 * (a GitError with `reason` and `lastArtifact`) on failure.
 */
export function fetchGitArtifact(
  spec: GitFetchSpec,
  cacheDir: string,
  options: FetchOptions = {},
): Promise<Artifact> {
  const cache = sourceCache(cacheDir, options.key ?? redactUrl(spec.url));
  // One fetch at a time per cache directory; others wait and then see its result.
  const previous = locks.get(cache.root) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => guarded(spec, cache, options));
  locks.set(cache.root, run);
  run.finally(() => {
    if (locks.get(cache.root) === run) locks.delete(cache.root);
  }).catch(() => {});
  return run;
}

/** The last good artifact of a source, if one is on disk (e.g. after a restart). */
export async function lastGitArtifact(
  url: string,
  cacheDir: string,
  key?: string,
): Promise<Artifact | undefined> {
  return (await readState(sourceCache(cacheDir, key ?? redactUrl(url))))?.artifact;
}

async function guarded(
  spec: GitFetchSpec,
  cache: SourceCache,
  options: FetchOptions,
): Promise<Artifact> {
  registerSecrets(options.logger?.secrets, spec.secret, spec.proxySecret);
  const controller = new AbortController();
  const timeout = spec.timeout ?? DEFAULT_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new GitError(
          "Timeout",
          `fetch did not finish within ${timeout} ms (spec.timeout)`,
          spec.url,
        ),
      );
    }, timeout);
  });
  try {
    return await Promise.race([produce(spec, cache, options, controller.signal), expired]);
  } catch (error) {
    const gitError = classifyGitError(error, spec.url);
    // A pack that cannot be read may have reached the cache: start the object store afresh
    // next time rather than failing on it forever.
    if (gitError.reason === "CorruptPack") {
      await Deno.remove(cache.gitdir, { recursive: true }).catch(() => {});
      await Deno.remove(cache.modulesDir, { recursive: true }).catch(() => {});
    }
    options.logger?.warn("git fetch failed", { url: redactUrl(spec.url), reason: gitError.reason });
    throw new GitFetchError(gitError, (await readState(cache))?.artifact);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function produce(
  spec: GitFetchSpec,
  cache: SourceCache,
  options: FetchOptions,
  signal: AbortSignal,
): Promise<Artifact> {
  const parsed = parseRemoteUrl(spec.url);
  const state = await readState(cache);
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - mark);
    mark = now;
  };
  let store: ObjectStore | undefined;
  let remote: Remote | undefined;
  let refs: RemoteRef[];
  let advertisement: Advertisement | undefined;
  try {
    if (parsed.kind === "file") {
      const gitdir = await localGitdir(parsed.path, spec.url);
      store = await ObjectStore.open(gitdir);
      refs = await listLocalRefs(gitdir, store);
    } else {
      remote = openRemote(parsed, spec.secret, spec.proxySecret, {
        signal,
        maxBytes: options.maxBytes,
      });
      advertisement = await discoverRefs(remote.http, remote.url, spec.url);
      refs = advertisement.refs;
    }
    phase("listRefsMs");
    const resolved = resolveRef(spec.ref, refs, spec.url);
    const id = artifactId([
      resolved.commit,
      resolved.revision,
      spec.ignore ?? null,
      (spec.include ?? []).map((i) => [i.artifact.digest, i.fromPath ?? "", i.toPath]),
      spec.verify ? spec.verify.publicKeys : null,
      // Only when set, so ids of artifacts made before the option existed stay the same.
      ...(spec.recurseSubmodules ? ["recurseSubmodules"] : []),
    ]);
    // The common case, every interval: nothing changed upstream, nothing to do.
    if (state?.artifactId === id) return state.artifact;

    if (!store) {
      await compactIfNeeded(cache);
      store = await fetchObjects({
        gitdir: cache.gitdir,
        remote: remote!,
        advertisement: advertisement!,
        fetchRef: resolved.fetchRef,
        commit: resolved.commit,
        needsHistory: resolved.needsHistory,
        url: spec.url,
        maxBytes: options.maxBytes,
      });
    }
    phase("fetchMs");
    if (spec.verify) await verifySignatures(store, resolved, refs, spec.verify, spec.url);

    let entries = await commitEntries(store, resolved.commit);
    if (spec.recurseSubmodules) {
      entries = await withSubmodules(entries, {
        url: spec.url,
        secret: spec.secret,
        proxySecret: spec.proxySecret,
        modulesDir: cache.modulesDir,
        signal,
        maxBytes: options.maxBytes,
      });
      phase("submodulesMs");
    }
    let files = await keptFiles(entries, { ignore: spec.ignore });
    if (spec.include?.length) files = await withIncludes(files, spec.include, spec.url);
    phase("listMs");
    // Two slots take turns: the new artifact is written into the slot not being served, brought
    // up to date from what it held two revisions ago, so the served one never changes under
    // a reader and an update costs what changed, not the size of the repository.
    const slot = state?.artifact.dir === slotDir(cache, "a") ? "b" : "a";
    const dir = slotDir(cache, slot);
    const stale = await readManifest(cache, slot, dir);
    const served = state
      ? await readManifest(cache, slot === "a" ? "b" : "a", state.artifact.dir)
      : undefined;
    await removeManifest(cache, slot); // the slot is in flux until its manifest is back
    const built = await updateArtifact(dir, files, store, stale, served, options.maxBytes);
    const digest = built.digest;
    await writeManifest(cache, slot, built.manifest);
    phase("writeMs");
    const now = (options.clock ?? (() => new Date()))();
    const artifact: Artifact = {
      revision: resolved.revision,
      digest,
      dir,
      // Same content as before (e.g. a commit touching only ignored files): keep the time.
      lastUpdateTime: state?.artifact.digest === digest
        ? state.artifact.lastUpdateTime
        : now.toISOString(),
      url: redactUrl(spec.url),
      files: files.filter((f) => f.mode !== EMPTY_DIR_MODE).length,
      size: built.size,
    };
    await writeState(cache, { artifactId: id, artifact });
    await pruneArtifacts(cache);
    options.logger?.info("git artifact ready", {
      url: artifact.url,
      revision: artifact.revision,
      digest,
      files: artifact.files,
      ...phases,
    });
    return artifact;
  } finally {
    remote?.close();
  }
}
