// Making new Git objects: blobs, trees from a flat list of files, commits (optionally signed),
// and a pack holding them (no deltas: a commit from skiff changes a handful of files).
import { createHash } from "node:crypto";
import zlib from "node:zlib";
import { concatBytes } from "../../bytes/mod.ts";
import { fromHex } from "./pack_index.ts";
import type { ObjectType } from "./store.ts";

export interface NewObject {
  oid: string;
  type: ObjectType;
  data: Uint8Array;
}

const encoder = new TextEncoder();

export function makeObject(type: ObjectType, data: Uint8Array): NewObject {
  const oid = createHash("sha1").update(`${type} ${data.length}\0`).update(data).digest("hex");
  return { oid, type, data };
}

/**
 * Trees for `files` (path → [mode, blob oid]); returns the root tree's id and every tree
 * object. Entries sort as Git sorts them: by name, a directory as if its name ended in "/".
 */
export function makeTrees(files: Map<string, [string, string]>): {
  root: string;
  trees: NewObject[];
} {
  interface Dir {
    files: Map<string, [string, string]>;
    dirs: Map<string, Dir>;
  }
  const top: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, entry] of files) {
    const parts = path.split("/");
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        dir.dirs.set(part, next);
      }
      dir = next;
    }
    dir.files.set(parts[parts.length - 1], entry);
  }
  const trees: NewObject[] = [];
  const write = (dir: Dir): string => {
    const entries: { sortKey: string; mode: string; name: string; oid: string }[] = [];
    for (const [name, [mode, oid]] of dir.files) entries.push({ sortKey: name, mode, name, oid });
    for (const [name, sub] of dir.dirs) {
      entries.push({ sortKey: `${name}/`, mode: "40000", name, oid: write(sub) });
    }
    entries.sort((a, b) => compareBytes(a.sortKey, b.sortKey));
    const parts: Uint8Array[] = [];
    for (const e of entries) {
      parts.push(encoder.encode(`${e.mode} ${e.name}\0`), fromHex(e.oid));
    }
    const tree = makeObject("tree", concatBytes(parts));
    trees.push(tree);
    return tree.oid;
  };
  return { root: write(top), trees };
}

function compareBytes(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

export interface Person {
  name: string;
  email: string;
  timestamp: Date;
}

function personLine(p: Person): string {
  return `${p.name} <${p.email}> ${Math.floor(p.timestamp.getTime() / 1000)} +0000`;
}

/** The commit text; `sign` gets the text and returns an armoured detached signature. */
export async function makeCommit(
  commit: { tree: string; parents: string[]; author: Person; committer: Person; message: string },
  sign?: (payload: string) => Promise<string>,
): Promise<NewObject> {
  const head = [
    `tree ${commit.tree}`,
    ...commit.parents.map((p) => `parent ${p}`),
    `author ${personLine(commit.author)}`,
    `committer ${personLine(commit.committer)}`,
  ];
  const message = commit.message.endsWith("\n") ? commit.message : `${commit.message}\n`;
  const payload = `${head.join("\n")}\n\n${message}`;
  if (!sign) return makeObject("commit", encoder.encode(payload));
  const signature = (await sign(payload)).trimEnd();
  // The signature is a multi-line header: continuation lines start with one space.
  const gpgsig = `gpgsig ${signature.split("\n").join("\n ")}`;
  return makeObject("commit", encoder.encode(`${head.join("\n")}\n${gpgsig}\n\n${message}`));
}

const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** A version 2 pack of `objects`, each stored whole (zlib-deflated). */
export function makePack(objects: NewObject[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(12);
  header.set(encoder.encode("PACK"));
  const view = new DataView(header.buffer);
  view.setUint32(4, 2);
  view.setUint32(8, objects.length);
  parts.push(header);
  for (const object of objects) {
    let size = object.data.length;
    const bytes = [(TYPE_CODES[object.type] << 4) | (size & 15)];
    size = Math.floor(size / 16);
    while (size > 0) {
      bytes[bytes.length - 1] |= 0x80;
      bytes.push(size & 0x7f);
      size = Math.floor(size / 128);
    }
    parts.push(Uint8Array.from(bytes), zlib.deflateSync(object.data));
  }
  const body = concatBytes(parts);
  return concatBytes([body, createHash("sha1").update(body).digest()]);
}
