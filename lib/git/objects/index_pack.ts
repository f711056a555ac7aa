// Indexes a received pack (what `git index-pack` does): checks its trailing SHA-1, inflates
// every object with the native zlib, resolves deltas, computes object ids, and writes the pack
// with a version 2 .idx beside it. isomorphic-git does the same in JavaScript, several times
// slower and holding the whole pack several times over in memory.
import { createHash } from "node:crypto";
import zlib from "node:zlib";
import { GitError } from "../errors.ts";
import { applyDelta } from "./delta.ts";
import { toHex } from "./pack_index.ts";
import type { ObjectStore, ObjectType } from "./store.ts";

const TYPES: Record<number, ObjectType> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Inflated objects kept for delta resolution; beyond this they are inflated again. */
const CACHE_BYTES = 96 * 1024 * 1024;

interface Entry {
  offset: number;
  /** Where the compressed data starts, and its end (the next entry's offset). */
  dataAt: number;
  end: number;
  kind: number;
  size: number;
  baseOffset?: number;
  baseId?: string;
  oid?: string;
  id?: Uint8Array;
  crc?: number;
}

export interface Resolved {
  type: ObjectType;
  data: Uint8Array;
}

export interface IndexedPack {
  count: number;
  /**
   * Objects still inflated in memory after indexing (all of them for packs under the cache
   * budget): handed to the object store so building the artifact does not inflate them again.
   */
  objects: Map<string, Resolved>;
}

/** Writes `pack` into `<packDir>/pack-<sha>.pack` + `.idx`. */
export async function indexPack(
  pack: Uint8Array,
  packDir: string,
  existing: ObjectStore | undefined,
  where: string,
): Promise<IndexedPack> {
  if (pack.length < 32 || new TextDecoder().decode(pack.subarray(0, 4)) !== "PACK") {
    throw new GitError("CorruptPack", "the pack has no PACK header", where);
  }
  const view = new DataView(pack.buffer, pack.byteOffset, pack.byteLength);
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) {
    throw new GitError("CorruptPack", `unsupported pack version ${version}`, where);
  }
  const count = view.getUint32(8);
  const checksum = pack.subarray(pack.length - 20);
  const actual = createHash("sha1").update(pack.subarray(0, pack.length - 20)).digest();
  if (!actual.equals(checksum)) {
    throw new GitError(
      "CorruptPack",
      "the pack's checksum does not match (corrupted or truncated)",
      where,
    );
  }

  const entries: Entry[] = [];
  const byOffset = new Map<number, Entry>();
  const raw = new Map<number, Uint8Array>();
  let rawBytes = 0;
  let pos = 12;
  for (let i = 0; i < count; i++) {
    const offset = pos;
    if (pos >= pack.length - 20) throw new GitError("CorruptPack", "the pack is truncated", where);
    let byte = pack[pos++];
    const kind = (byte >> 4) & 7;
    let size = byte & 15;
    let shift = 4;
    while (byte & 0x80) {
      byte = pack[pos++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    const entry: Entry = { offset, dataAt: 0, end: 0, kind, size };
    if (kind === OFS_DELTA) {
      byte = pack[pos++];
      let distance = byte & 0x7f;
      while (byte & 0x80) {
        byte = pack[pos++];
        distance = (distance + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = offset - distance;
    } else if (kind === REF_DELTA) {
      entry.baseId = toHex(pack.subarray(pos, pos + 20));
      pos += 20;
    } else if (!TYPES[kind]) {
      throw new GitError("CorruptPack", `unknown object type ${kind} at offset ${offset}`, where);
    }
    entry.dataAt = pos;
    const { data, consumed } = inflateAt(pack, pos, size, offset, where);
    pos += consumed;
    entry.end = pos;
    // Keep what was inflated while it fits the budget; the rest is inflated again on demand.
    if (rawBytes + data.length <= CACHE_BYTES) {
      raw.set(offset, data);
      rawBytes += data.length;
    }
    entries.push(entry);
    byOffset.set(offset, entry);
  }

  const cache = new Map<number, Resolved>();
  let cached = 0;
  const idsInPack = new Map<string, Entry>();
  const resolve = async (entry: Entry, depth = 0): Promise<Resolved> => {
    const hit = cache.get(entry.offset);
    if (hit) return hit;
    if (depth > 10_000) throw new GitError("CorruptPack", "delta chain too long", where);
    const data = raw.get(entry.offset) ?? inflate(pack, entry, where);
    raw.delete(entry.offset);
    let result: Resolved;
    if (entry.kind === OFS_DELTA || entry.kind === REF_DELTA) {
      let base: Resolved;
      if (entry.kind === OFS_DELTA) {
        const baseEntry = byOffset.get(entry.baseOffset!);
        if (!baseEntry) {
          throw new GitError(
            "CorruptPack",
            `delta base missing at offset ${entry.baseOffset}`,
            where,
          );
        }
        base = await resolve(baseEntry, depth + 1);
      } else {
        const inPack = idsInPack.get(entry.baseId!);
        if (inPack) base = await resolve(inPack, depth + 1);
        else if (existing && await existing.has(entry.baseId!)) {
          base = await existing.read(entry.baseId!);
        } else {
          throw new GitError("CorruptPack", `delta base ${entry.baseId} is missing`, where);
        }
      }
      result = { type: base.type, data: applyDelta(base.data, data, where) };
    } else {
      result = { type: TYPES[entry.kind], data };
    }
    if (cached + result.data.length > CACHE_BYTES) {
      cache.clear();
      cached = 0;
    }
    cache.set(entry.offset, result);
    cached += result.data.length;
    return result;
  };

  // Plain objects first (their ids are needed by REF_DELTA entries), then deltas.
  for (const pass of [false, true]) {
    for (const entry of entries) {
      const isDelta = entry.kind === OFS_DELTA || entry.kind === REF_DELTA;
      if (isDelta !== pass) continue;
      const object = await resolve(entry);
      entry.id = createHash("sha1")
        .update(`${object.type} ${object.data.length}\0`)
        .update(object.data)
        .digest();
      entry.oid = toHex(entry.id);
      entry.crc = crc32(pack.subarray(entry.offset, entry.end));
      idsInPack.set(entry.oid, entry);
    }
  }

  const name = toHex(checksum);
  await Deno.mkdir(packDir, { recursive: true });
  // The .idx is written last: a reader only sees packs whose index exists.
  await Deno.writeFile(`${packDir}/pack-${name}.pack`, pack);
  await Deno.writeFile(`${packDir}/pack-${name}.idx.tmp`, buildIndex(entries, checksum));
  await Deno.rename(`${packDir}/pack-${name}.idx.tmp`, `${packDir}/pack-${name}.idx`);
  const objects = new Map<string, Resolved>();
  for (const entry of entries) {
    const object = cache.get(entry.offset);
    if (object) objects.set(entry.oid!, object);
  }
  return { count, objects };
}

/** Inflates the object data at `pos`; also tells how many compressed bytes it took. */
function inflateAt(
  pack: Uint8Array,
  pos: number,
  size: number,
  offset: number,
  where: string,
): { data: Uint8Array; consumed: number } {
  // Deflate grows data by at most a few bytes per block: bound the input so the native
  // inflater does not copy the rest of the pack; an output chunk of the known size avoids
  // allocating 16 KiB per small object.
  const end = Math.min(pack.length - 20, pos + size + 64 + Math.ceil(size / 1024) * 8);
  try {
    const result = zlib.inflateSync(pack.subarray(pos, end), {
      info: true,
      chunkSize: Math.max(64, size),
    }) as unknown as { buffer: Uint8Array; engine: { bytesWritten: number } };
    if (result.buffer.length !== size) throw new Error("size mismatch");
    return { data: result.buffer, consumed: result.engine.bytesWritten };
  } catch (error) {
    throw new GitError(
      "CorruptPack",
      `object at offset ${offset} cannot be inflated`,
      where,
      error,
    );
  }
}

function inflate(pack: Uint8Array, entry: Entry, where: string): Uint8Array {
  try {
    return zlib.inflateSync(pack.subarray(entry.dataAt, entry.end));
  } catch (error) {
    throw new GitError(
      "CorruptPack",
      `object at offset ${entry.offset} cannot be inflated`,
      where,
      error,
    );
  }
}

function buildIndex(entries: Entry[], packChecksum: Uint8Array): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.oid! < b.oid! ? -1 : a.oid! > b.oid! ? 1 : 0));
  const n = sorted.length;
  const large = sorted.filter((e) => e.offset >= 0x80000000);
  const size = 8 + 1024 + n * 28 + large.length * 8 + 40;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xff744f63);
  view.setUint32(4, 2);
  const fanout = new Uint32Array(256);
  for (const e of sorted) fanout[e.id![0]]++;
  let running = 0;
  for (let i = 0; i < 256; i++) {
    running += fanout[i];
    view.setUint32(8 + i * 4, running);
  }
  let at = 8 + 1024;
  for (const e of sorted) {
    out.set(e.id!, at);
    at += 20;
  }
  for (const e of sorted) {
    view.setUint32(at, e.crc! >>> 0);
    at += 4;
  }
  let largeIndex = 0;
  const largeAt = at + n * 4;
  for (const e of sorted) {
    if (e.offset >= 0x80000000) {
      view.setUint32(at, 0x80000000 | largeIndex);
      view.setBigUint64(largeAt + largeIndex * 8, BigInt(e.offset));
      largeIndex++;
    } else view.setUint32(at, e.offset);
    at += 4;
  }
  at = largeAt + large.length * 8;
  out.set(packChecksum, at);
  at += 20;
  out.set(createHash("sha1").update(out.subarray(0, at)).digest(), at);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
