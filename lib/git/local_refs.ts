// Refs of a repository on local disk (file:// URLs and absolute paths): HEAD, packed-refs and
// loose refs, with annotated tags peeled through the object store.
import { GitError } from "./errors.ts";
import { parseTag } from "./objects/parse.ts";
import type { ObjectStore } from "./objects/store.ts";
import type { RemoteRef } from "./refs.ts";

/** The git directory of a local repository: `path` itself when bare, else `path/.git`. */
export async function localGitdir(path: string, url: string): Promise<string> {
  for (const candidate of [`${path}/.git`, path]) {
    try {
      await Deno.stat(`${candidate}/objects`);
      await Deno.stat(`${candidate}/HEAD`);
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new GitError("Unreachable", `no Git repository at ${path}`, url);
}

export async function listLocalRefs(gitdir: string, store: ObjectStore): Promise<RemoteRef[]> {
  const refs = new Map<string, RemoteRef>();
  try {
    let last: RemoteRef | undefined;
    for (const line of (await Deno.readTextFile(`${gitdir}/packed-refs`)).split("\n")) {
      if (line.startsWith("^") && last) last.peeled = line.slice(1).trim();
      else if (/^[0-9a-f]{40} /.test(line)) {
        last = { ref: line.slice(41).trim(), oid: line.slice(0, 40) };
        refs.set(last.ref, last);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const { ref, oid } of await looseRefs(gitdir)) refs.set(ref, { ref, oid });
  for (const ref of refs.values()) {
    if (!ref.ref.startsWith("refs/tags/") || ref.peeled) continue;
    // Loose annotated tags carry no peeled line: read the tag object.
    let oid = ref.oid;
    for (let depth = 0; depth < 8; depth++) {
      const object = await store.read(oid).catch(() => undefined);
      if (object?.type !== "tag") break;
      oid = parseTag(object.data, oid).object;
    }
    if (oid !== ref.oid) ref.peeled = oid;
  }
  const out = [...refs.values()];
  const head = (await Deno.readTextFile(`${gitdir}/HEAD`)).trim();
  if (head.startsWith("ref: ")) {
    const target = head.slice(5);
    const resolved = refs.get(target);
    if (resolved) out.unshift({ ref: "HEAD", oid: resolved.oid, target });
  } else if (/^[0-9a-f]{40}$/.test(head)) out.unshift({ ref: "HEAD", oid: head });
  return out;
}

/** The loose refs under `prefix` (one file per ref holding its oid), in directory order. */
export async function looseRefs(
  gitdir: string,
  prefix = "refs",
): Promise<{ ref: string; oid: string }[]> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(`${gitdir}/${prefix}`));
  } catch {
    return [];
  }
  const found: { ref: string; oid: string }[] = [];
  for (const entry of entries) {
    const ref = `${prefix}/${entry.name}`;
    if (entry.isDirectory) found.push(...await looseRefs(gitdir, ref));
    else if (entry.isFile) {
      const oid = (await Deno.readTextFile(`${gitdir}/${ref}`)).trim();
      if (/^[0-9a-f]{40}$/.test(oid)) found.push({ ref, oid });
    }
  }
  return found;
}
