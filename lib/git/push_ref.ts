// Pushing a commit the remote already has to one more ref: the destination of an image
// automation's `push.refspec` (another branch, Gerrit's refs/for/main). Fast-forward only, as
// `git push` without `+`: the ref must not exist yet or point at the commit's parent.
import { classifyGitError } from "./classify.ts";
import { GitError } from "./errors.ts";
import { ObjectStore } from "./objects/store.ts";
import { makePack } from "./objects/write.ts";
import { discoverRefs } from "./protocol/discovery.ts";
import { receivePack } from "./protocol/receive_pack.ts";
import type { WorkingCopy } from "./push.ts";
import { openRemote } from "./remote.ts";
import { parseRemoteUrl } from "./url.ts";

const ZERO = "0".repeat(40);

/**
 * Points `ref` (a full name such as `refs/heads/auto`) at the working copy's head, which must
 * already be on the remote (just pushed). Returns false when the ref already points there.
 * Throws GitError(PushRejected) when that would not be a fast-forward; nothing is forced.
 */
export async function pushHeadToRef(wc: WorkingCopy, ref: string): Promise<boolean> {
  if (!ref.startsWith("refs/")) {
    throw new GitError("InvalidSpec", `"${ref}" is not a full ref name (refs/...)`, wc.spec.url);
  }
  const commit = wc.head;
  const parents = parentsOf(await (await ObjectStore.open(`${wc.dir}/.git`)).read(commit));
  const parsed = parseRemoteUrl(wc.spec.url);
  if (parsed.kind === "file") {
    throw new GitError("InvalidSpec", "pushing to a local path is not supported", wc.spec.url);
  }
  const remote = openRemote(parsed, wc.spec.secret, wc.spec.proxySecret, {});
  try {
    const receive = await discoverRefs(remote.http, remote.url, wc.spec.url, "git-receive-pack");
    const current = receive.refs.find((r) => r.ref === ref)?.oid ?? ZERO;
    if (current === commit) return false;
    if (current !== ZERO && !parents.includes(current)) {
      throw new GitError(
        "PushRejected",
        `${ref} points at ${current.slice(0, 7)}, which ${commit.slice(0, 7)} does not build ` +
          "on: not a fast-forward (skiff never forces)",
        wc.spec.url,
      );
    }
    // The objects are on the remote already: an empty pack carries the ref update.
    const outcome = await receivePack(
      remote.http,
      remote.url,
      { ref, old: current, new: commit },
      makePack([]),
      receive.capabilities,
      wc.spec.url,
    );
    if (!outcome.ok) {
      throw new GitError("PushRejected", `${ref}: ${outcome.reason}`, wc.spec.url);
    }
    return true;
  } catch (error) {
    throw classifyGitError(error, wc.spec.url);
  } finally {
    remote.close();
  }
}

function parentsOf(object: { type: string; data: Uint8Array }): string[] {
  const text = new TextDecoder().decode(object.data);
  const header = text.slice(0, text.indexOf("\n\n"));
  return header.split("\n").filter((l) => l.startsWith("parent ")).map((l) => l.slice(7));
}
