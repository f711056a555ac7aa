// Writes a gzipped ustar archive of regular files, reproducibly: fixed owner, mtime 0, entries in
// the order given (callers sort), so the same files always make the same bytes and the same
// digest — what `flux push artifact` relies on to skip pushing unchanged content.
import { concatBytes } from "../bytes/mod.ts";
import { ArchiveError } from "./errors.ts";
import type { ArchiveEntry } from "./tar.ts";

/** A file to write, in the shape readTar returns (so archives round-trip); mode 0o644 if absent. */
export type TarFile = ArchiveEntry;

const BLOCK = 512;
const encoder = new TextEncoder();

export async function writeTgz(files: TarFile[]): Promise<Uint8Array<ArrayBuffer>> {
  const tar = writeTar(files);
  const stream = new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function writeTar(files: TarFile[]): Uint8Array<ArrayBuffer> {
  const blocks: Uint8Array[] = [];
  for (const file of files) {
    const name = encoder.encode(file.name);
    if (name.length > 100) {
      // A PAX header carries names longer than ustar's 100 bytes.
      const record = paxRecord("path", file.name);
      blocks.push(header("PaxHeader", record.length, 0o644, "x"), padded(record));
    }
    blocks.push(header(file.name, file.data.length, file.mode ?? 0o644, "0"), padded(file.data));
  }
  blocks.push(new Uint8Array(BLOCK * 2));
  return concatBytes(blocks);
}

function header(name: string, size: number, mode: number, type: string): Uint8Array {
  if (size > 0o77777777777) {
    throw new ArchiveError(name, undefined, "file too large for a ustar header");
  }
  const h = new Uint8Array(BLOCK);
  put(h, 0, 100, name);
  put(h, 100, 8, octal(mode & 0o7777, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, octal(size, 12));
  put(h, 136, 12, octal(0, 12));
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  put(h, 156, 1, type);
  put(h, 257, 6, "ustar");
  put(h, 263, 2, "00");
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, octal(sum, 7) + "\0");
  return h;
}

function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  // The length prefix counts itself: grow it until the total is stable.
  const bodyBytes = encoder.encode(body).length;
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length = String(length).length + bodyBytes;
  return encoder.encode(`${length}${body}`);
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

function put(block: Uint8Array, offset: number, length: number, value: string): void {
  block.set(encoder.encode(value).subarray(0, length), offset);
}

function octal(n: number, length: number): string {
  return n.toString(8).padStart(length - 1, "0");
}
