// spec.verify: OpenPGP signatures on the HEAD commit and/or the tag, checked against the
// public keys of the verify Secret.
import { GitError } from "./errors.ts";
import type { VerifySpec } from "./fetch_types.ts";
import { parseCommit, parseTag } from "./objects/parse.ts";
import type { ObjectStore } from "./objects/store.ts";
import type { RemoteRef, ResolvedRef } from "./refs.ts";

export async function verifySignatures(
  store: ObjectStore,
  resolved: ResolvedRef,
  refs: RemoteRef[],
  verify: VerifySpec,
  url: string,
): Promise<void> {
  const mode = verify.mode === "head" || verify.mode === undefined ? "HEAD" : verify.mode;
  if (mode === "Tag" || mode === "TagAndHEAD") {
    const tagRef = refs.find((r) => r.ref === resolved.fetchRef && r.ref.startsWith("refs/tags/"));
    if (!tagRef?.peeled) {
      throw new GitError(
        "VerificationFailed",
        `spec.verify.mode ${mode} needs an annotated tag ref`,
        url,
      );
    }
    const object = await store.read(tagRef.oid);
    if (object.type !== "tag") {
      throw new GitError("VerificationFailed", `${tagRef.ref} is not an annotated tag`, url);
    }
    const tag = parseTag(object.data, tagRef.oid);
    await checkSignature(
      tag.signedPayload,
      tag.signature,
      verify.publicKeys,
      `tag ${tag.tag}`,
      url,
    );
  }
  if (mode === "HEAD" || mode === "TagAndHEAD") {
    const commit = parseCommit(await store.readTyped(resolved.commit, "commit"), resolved.commit);
    await checkSignature(
      commit.signedPayload,
      commit.signature,
      verify.publicKeys,
      `commit ${resolved.commit}`,
      url,
    );
  }
}

async function checkSignature(
  payload: string,
  signature: string | undefined,
  publicKeys: string[],
  what: string,
  url: string,
): Promise<void> {
  if (!signature) throw new GitError("VerificationFailed", `${what} is not signed`, url);
  const openpgp = await import("openpgp");
  const keys = [];
  for (const armored of publicKeys) {
    try {
      keys.push(...await openpgp.readKeys({ armoredKeys: armored }));
    } catch (error) {
      throw new GitError("InvalidSpec", "spec.verify: a public key cannot be read", url, error);
    }
  }
  let result;
  try {
    result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: new TextEncoder().encode(payload) }),
      signature: await openpgp.readSignature({ armoredSignature: signature }),
      verificationKeys: keys,
      format: "binary",
    });
  } catch (error) {
    throw new GitError("VerificationFailed", `${what}: the signature cannot be read`, url, error);
  }
  for (const sig of result.signatures) {
    try {
      await sig.verified;
      return;
    } catch {
      // try the next signature
    }
  }
  throw new GitError("VerificationFailed", `${what} is not signed by any of the trusted keys`, url);
}
