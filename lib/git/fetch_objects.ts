// Getting the objects of one ref into a local object store (a source's cache, or a working
// copy's .git): shallow the first time, only what is new afterwards.
import { GitError } from "./errors.ts";
import { looseRefs } from "./local_refs.ts";
import { indexPack } from "./objects/index_pack.ts";
import { parseCommit, parseTag } from "./objects/parse.ts";
import { ObjectStore } from "./objects/store.ts";
import type { Advertisement } from "./protocol/discovery.ts";
import { uploadPack } from "./protocol/upload_pack.ts";
import type { Remote } from "./remote.ts";

/** "Everything" for a deepen request when spec.ref.commit may be anywhere in history. */
const FULL_DEPTH = 2 ** 31 - 1;

export interface FetchObjectsRequest {
  gitdir: string;
  remote: Remote;
  advertisement: Advertisement;
  /** The full ref fetched ("refs/heads/main"); recorded locally to offer as "have" next time. */
  fetchRef: string;
  /** The commit that must be in the store afterwards. */
  commit: string;
  /** Fetch the whole history (spec.ref.commit) instead of depth 1. */
  needsHistory: boolean;
  url: string;
  maxBytes?: number;
}

/** Fetches the objects of `fetchRef` unless `commit` is already there; returns the store. */
export async function fetchObjects(request: FetchObjectsRequest): Promise<ObjectStore> {
  const { gitdir, remote, advertisement, url, maxBytes } = request;
  let store = await ObjectStore.open(gitdir);
  if (await store.has(request.commit)) return store;

  const want = advertisement.refs.find((r) => r.ref === request.fetchRef)?.oid ?? request.commit;
  const shallow = await readShallow(gitdir);
  const haves = await localHaves(gitdir, store, request.fetchRef);
  const base = { wants: [want], haves, shallow, serverCapabilities: advertisement.capabilities };
  let result;
  const since = request.needsHistory ? undefined : await commitTimeOf(store, haves[0]);
  if (since) {
    // "deepen 1" makes the server send the whole tree again; "deepen-since" the time of the
    // commit we already have sends only what is new (and stays bounded if history was rewritten).
    try {
      result = await uploadPack(remote.http, remote.url, { ...base, since }, url, maxBytes);
    } catch (error) {
      const fatal = ["TooLarge", "Timeout", "AuthFailed", "Unreachable", "HostKeyMismatch"];
      if (error instanceof GitError && fatal.includes(error.reason)) throw error;
      // e.g. no commit that recent ("no commits selected for shallow requests")
      result = await uploadPack(remote.http, remote.url, { ...base, depth: 1 }, url, maxBytes);
    }
  } else {
    const depth = request.needsHistory ? FULL_DEPTH : 1;
    result = await uploadPack(remote.http, remote.url, { ...base, depth }, url, maxBytes);
  }
  const indexed = result.pack.length > 0
    ? await indexPack(result.pack, `${gitdir}/objects/pack`, store, url)
    : undefined;
  const boundary = new Set([...shallow, ...result.shallow]);
  for (const oid of result.unshallow) boundary.delete(oid);
  await writeFileAtomic(`${gitdir}/shallow`, [...boundary].map((oid) => `${oid}\n`).join(""));
  // The fetched ref, kept locally: offered as "have" next time so only new objects come.
  await writeFileAtomic(`${gitdir}/${request.fetchRef}`, `${want}\n`);

  store = await ObjectStore.open(gitdir);
  if (indexed) store.prime(indexed.objects);
  if (!await store.has(request.commit)) {
    throw new GitError(
      request.needsHistory ? "RefNotFound" : "CorruptPack",
      request.needsHistory
        ? `commit ${request.commit} is not in the history of ${request.fetchRef}`
        : `the server did not send commit ${request.commit}`,
      url,
    );
  }
  return store;
}

async function readShallow(gitdir: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(`${gitdir}/shallow`)).split("\n").filter((l) =>
      l.length === 40
    );
  } catch {
    return [];
  }
}

/** Commits we hold for local refs (this ref's first), at most 16: the "have" lines. */
async function localHaves(gitdir: string, store: ObjectStore, first: string): Promise<string[]> {
  const found = await looseRefs(gitdir);
  found.sort((a, b) => (a.ref === first ? -1 : b.ref === first ? 1 : 0));
  const haves: string[] = [];
  for (const { oid } of found) {
    if (haves.length >= 16) break;
    if (!haves.includes(oid) && await store.has(oid)) haves.push(oid);
  }
  return haves;
}

/** An hour before the commit (or the commit a tag points to) was made. */
async function commitTimeOf(
  store: ObjectStore,
  oid: string | undefined,
): Promise<Date | undefined> {
  if (!oid) return undefined;
  let object = await store.read(oid);
  if (object.type === "tag") {
    const target = parseTag(object.data, oid).object;
    if (!await store.has(target)) return undefined;
    object = await store.read(target);
  }
  if (object.type !== "commit") return undefined;
  const commit = parseCommit(object.data, oid);
  const seconds = Number(/ (\d+) [+-]\d{4}$/.exec(commit.committer)?.[1]);
  return Number.isFinite(seconds) ? new Date((seconds - 3600) * 1000) : undefined;
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(`${path}.tmp`, text);
  await Deno.rename(`${path}.tmp`, path);
}
