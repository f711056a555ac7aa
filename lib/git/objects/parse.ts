// Parsing commit, tag and tree objects (the parts skiff needs).
import { GitError } from "../errors.ts";
import { toHex } from "./pack_index.ts";

export interface TreeEntry {
  /** Octal mode as Git writes it: "100644", "100755", "120000" (symlink), "40000", "160000". */
  mode: string;
  name: string;
  oid: string;
}

export function parseTree(data: Uint8Array, oid: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const decoder = new TextDecoder();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) {
      throw new GitError("CorruptPack", `tree ${oid} is truncated`);
    }
    entries.push({
      mode: decoder.decode(data.subarray(pos, space)),
      name: decoder.decode(data.subarray(space + 1, nul)),
      oid: toHex(data.subarray(nul + 1, nul + 21)),
    });
    pos = nul + 21;
  }
  return entries;
}

export interface Commit {
  tree: string;
  parents: string[];
  author: string;
  committer: string;
  message: string;
  /** The ASCII-armoured signature, when the commit is signed. */
  signature?: string;
  /** The commit text without the signature header: what was signed. */
  signedPayload: string;
}

export interface Tag {
  object: string;
  type: string;
  tag: string;
  message: string;
  signature?: string;
  signedPayload: string;
}

/** Splits "key value\n" headers (with continuation lines) from the message. */
function headers(text: string): { fields: [string, string][]; message: string } {
  const end = text.indexOf("\n\n");
  const head = end < 0 ? text : text.slice(0, end);
  const fields: [string, string][] = [];
  for (const line of head.split("\n")) {
    if (line.startsWith(" ") && fields.length > 0) {
      fields[fields.length - 1][1] += "\n" + line.slice(1);
    } else {
      const space = line.indexOf(" ");
      fields.push([line.slice(0, space), line.slice(space + 1)]);
    }
  }
  return { fields, message: end < 0 ? "" : text.slice(end + 2) };
}

export function parseCommit(data: Uint8Array, oid: string): Commit {
  const text = new TextDecoder().decode(data);
  const { fields, message } = headers(text);
  const get = (key: string) => fields.find(([k]) => k === key)?.[1];
  const tree = get("tree");
  if (!tree) throw new GitError("CorruptPack", `commit ${oid} has no tree`);
  const signature = get("gpgsig");
  return {
    tree,
    parents: fields.filter(([k]) => k === "parent").map(([, v]) => v),
    author: get("author") ?? "",
    committer: get("committer") ?? "",
    message,
    signature,
    signedPayload: signature ? stripSignatureHeader(text) : text,
  };
}

/** The commit text as it was before `gpgsig` was added (what the signature covers). */
function stripSignatureHeader(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let inSig = false;
  let inHead = true;
  for (const line of lines) {
    if (inHead && line === "") inHead = false;
    if (inHead && line.startsWith("gpgsig ")) {
      inSig = true;
      continue;
    }
    if (inSig && line.startsWith(" ")) continue;
    inSig = false;
    out.push(line);
  }
  return out.join("\n");
}

export function parseTag(data: Uint8Array, oid: string): Tag {
  const text = new TextDecoder().decode(data);
  const { fields, message } = headers(text);
  const get = (key: string) => fields.find(([k]) => k === key)?.[1];
  const object = get("object");
  if (!object) throw new GitError("CorruptPack", `tag ${oid} names no object`);
  const sigAt = message.indexOf("-----BEGIN PGP SIGNATURE-----");
  const head = text.slice(0, text.length - message.length);
  return {
    object,
    type: get("type") ?? "commit",
    tag: get("tag") ?? "",
    message: sigAt < 0 ? message : message.slice(0, sigAt),
    signature: sigAt < 0 ? undefined : message.slice(sigAt),
    signedPayload: sigAt < 0 ? text : head + message.slice(0, sigAt),
  };
}
