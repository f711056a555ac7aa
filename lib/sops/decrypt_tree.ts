// Decrypts a SOPS tree in place and computes its MAC, walking it exactly as SOPS does: map
// items and list elements in order, the path made of map keys only, comments decrypted when
// possible (older SOPS left them in clear text) and never hashed. The walk first starts every
// value's decryption (Web Crypto works them in parallel), then settles them in tree order, so
// the MAC input and the first error reported are those of the sequential walk.
import { CipherError, type DecryptedValue, decryptValue } from "./cipher.ts";
import { SopsError } from "./errors.ts";
import type { GcmKey } from "./gcm.ts";
import { macBytes, MacHasher } from "./mac.ts";
import type { EncryptionPredicate } from "./rules.ts";
import { Branch, Comment, type TreeValue } from "./tree.ts";

export interface WalkOptions {
  key: GcmKey;
  shouldDecrypt: EncryptionPredicate;
  macOnlyEncrypted: boolean;
  file: string | undefined;
  /** Names the document in errors for multi-document files. */
  documentLabel?: (branchIndex: number) => string;
}

type Leaf = Exclude<TreeValue, null | Branch | TreeValue[]>;
type Settled = { ok: true; value: DecryptedValue } | { ok: false; error: unknown };

/** One leaf of the walk: what to hash and where the plaintext goes. */
interface Job {
  /** Hashed as is (clear-text values), or undefined. */
  clearMac?: Uint8Array;
  /** The pending decryption of an encrypted value or comment. */
  pending?: Promise<Settled>;
  comment?: Comment;
  /** Names the field in errors. */
  field: string;
  set(v: TreeValue): void;
}

/** Decrypts all branches in place; returns the MAC as upper-case hex. */
export async function decryptBranches(branches: Branch[], options: WalkOptions): Promise<string> {
  const jobs: Job[] = [];
  branches.forEach((branch, i) => {
    const where = options.documentLabel?.(i);
    walkBranch(branch, [], [], { ...options, where, jobs });
  });
  const hasher = new MacHasher(options.macOnlyEncrypted);
  for (const job of jobs) {
    if (job.clearMac) hasher.add(job.clearMac);
    if (!job.pending) continue;
    const settled = await job.pending;
    if (job.comment) {
      // A comment that does not decrypt was written in clear text by an older SOPS.
      if (settled.ok && settled.value.value instanceof Comment) job.set(settled.value.value);
      else if (!settled.ok && !(settled.error instanceof CipherError)) throw settled.error;
      continue;
    }
    if (!settled.ok) {
      if (settled.error instanceof CipherError) {
        throw new SopsError(
          "value",
          options.file,
          `${job.field}: cannot decrypt value: ${settled.error.detail}`,
        );
      }
      throw settled.error;
    }
    if (settled.value.value instanceof Comment) {
      throw new SopsError(
        "value",
        options.file,
        `${job.field}: a comment is stored where a value belongs`,
      );
    }
    hasher.add(settled.value.mac);
    job.set(settled.value.value);
  }
  return await hasher.hexDigest();
}

interface Walk extends WalkOptions {
  where: string | undefined;
  jobs: Job[];
}

type Stack = string[][];

function walkBranch(branch: Branch, path: string[], stack: Stack, w: Walk): void {
  const comments: string[] = [];
  const inner = [...stack, comments];
  for (const item of branch.items) {
    if (item.key instanceof Comment) {
      comments.push(item.key.value);
      leaf(item.key, path, inner, w, (v) => item.key = v as Comment);
      continue;
    }
    const valueIsComment = item.value instanceof Comment;
    if (item.value instanceof Comment) comments.push(item.value.value);
    walkValue(item.value, [...path, item.key], inner, w, (v) => item.value = v);
    if (!valueIsComment) comments.length = 0;
  }
}

function walkValue(
  value: TreeValue,
  path: string[],
  stack: Stack,
  w: Walk,
  set: (v: TreeValue) => void,
): void {
  if (value === null) return;
  if (value instanceof Branch) return walkBranch(value, path, stack, w);
  if (Array.isArray(value)) {
    const comments: string[] = [];
    const inner = [...stack, comments];
    value.forEach((v, i) => {
      if (v instanceof Comment) comments.push(v.value);
      walkValue(v, path, inner, w, (nv) => value[i] = nv);
      if (!(v instanceof Comment)) comments.length = 0;
    });
    return;
  }
  leaf(value, path, stack, w, set);
}

function leaf(value: Leaf, path: string[], stack: Stack, w: Walk, set: (v: TreeValue) => void) {
  const isComment = value instanceof Comment;
  const encrypted = w.shouldDecrypt(path, stack, isComment);
  const field = `${w.where ? `${w.where}: ` : ""}${path.length ? path.join(".") : "(top level)"}`;
  if (!encrypted) {
    // Comments are never hashed; clear values are, unless only encrypted ones count.
    if (!isComment && !w.macOnlyEncrypted) w.jobs.push({ clearMac: macBytes(value), field, set });
    return;
  }
  if (!isComment && typeof value !== "string") {
    throw new SopsError(
      "value",
      w.file,
      `${field}: expected an encrypted value, found a ${typeof value}`,
    );
  }
  const text = isComment ? value.value : value as string;
  const pending = settle(decryptValue(w.key, text, path.join(":") + ":"));
  w.jobs.push({ pending, comment: isComment ? value : undefined, field, set });
}

function settle(p: Promise<DecryptedValue>): Promise<Settled> {
  return p.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
}
