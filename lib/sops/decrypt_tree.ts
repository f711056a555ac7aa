// Decrypts a SOPS tree in place and computes its MAC, walking it exactly as SOPS does: map
// items and list elements in order, the path made of map keys only, comments decrypted when
// possible (older SOPS left them in clear text) and never hashed.
import { CipherError, decryptValue } from "./cipher.ts";
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

/** Decrypts all branches in place; returns the MAC as upper-case hex. */
export async function decryptBranches(branches: Branch[], options: WalkOptions): Promise<string> {
  const hasher = new MacHasher(options.macOnlyEncrypted);
  for (let i = 0; i < branches.length; i++) {
    const where = options.documentLabel?.(i);
    await walkBranch(branches[i], [], [], options, hasher, where);
  }
  return await hasher.hexDigest();
}

type Stack = string[][];

async function walkBranch(
  branch: Branch,
  path: string[],
  stack: Stack,
  o: WalkOptions,
  hasher: MacHasher,
  where: string | undefined,
): Promise<void> {
  const comments: string[] = [];
  const inner = [...stack, comments];
  for (const item of branch.items) {
    if (item.key instanceof Comment) {
      comments.push(item.key.value);
      item.key = await leaf(item.key, path, inner, o, hasher, where) as Comment;
      continue;
    }
    const valueIsComment = item.value instanceof Comment;
    if (item.value instanceof Comment) comments.push(item.value.value);
    item.value = await walkValue(item.value, [...path, item.key], inner, o, hasher, where);
    if (!valueIsComment) comments.length = 0;
  }
}

async function walkValue(
  value: TreeValue,
  path: string[],
  stack: Stack,
  o: WalkOptions,
  hasher: MacHasher,
  where: string | undefined,
): Promise<TreeValue> {
  if (value === null) return null;
  if (value instanceof Branch) {
    await walkBranch(value, path, stack, o, hasher, where);
    return value;
  }
  if (Array.isArray(value)) {
    const comments: string[] = [];
    const inner = [...stack, comments];
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v instanceof Comment) comments.push(v.value);
      value[i] = await walkValue(v, path, inner, o, hasher, where);
      if (!(v instanceof Comment)) comments.length = 0;
    }
    return value;
  }
  return await leaf(value, path, stack, o, hasher, where);
}

async function leaf(
  value: Exclude<TreeValue, null | Branch | TreeValue[]>,
  path: string[],
  stack: Stack,
  o: WalkOptions,
  hasher: MacHasher,
  where: string | undefined,
): Promise<TreeValue> {
  const isComment = value instanceof Comment;
  const encrypted = o.shouldDecrypt(path, stack, isComment);
  const aad = path.join(":") + ":";
  if (isComment) {
    if (!encrypted) return value;
    try {
      const out = await decryptValue(o.key, value.value, aad);
      return out.value instanceof Comment ? out.value : value;
    } catch (e) {
      if (e instanceof CipherError) return value; // a comment written in clear text
      throw e;
    }
  }
  if (!encrypted) {
    if (!o.macOnlyEncrypted) hasher.add(macBytes(value));
    return value;
  }
  const field = `${where ? `${where}: ` : ""}${path.length ? path.join(".") : "(top level)"}`;
  if (typeof value !== "string") {
    throw new SopsError(
      "value",
      o.file,
      `${field}: expected an encrypted value, found a ${typeof value}`,
    );
  }
  try {
    const out = await decryptValue(o.key, value, aad);
    if (out.value instanceof Comment) {
      throw new SopsError("value", o.file, `${field}: a comment is stored where a value belongs`);
    }
    hasher.add(out.mac);
    return out.value;
  } catch (e) {
    if (e instanceof CipherError) {
      throw new SopsError("value", o.file, `${field}: cannot decrypt value: ${e.detail}`);
    }
    throw e;
  }
}
