// A tar reader for archives skiff unpacks (Helm charts, OCI artifact layers). It understands
// ustar, PAX extended headers and GNU long names, and refuses what neither has any business
// containing: links (a symlink could point anywhere on the agent's disk), devices, absolute
// paths and paths that climb out of the archive.
import { ArchiveError } from "./errors.ts";
import type { ArchiveLimits } from "./limits.ts";

/** One regular file of an archive, with its name as written in the archive ("/"-separated). */
export interface ArchiveEntry {
  name: string;
  data: Uint8Array;
  /** Permission bits as written (e.g. 0o755), when the reader knows them. */
  mode?: number;
}

const BLOCK = 512;
const decoder = new TextDecoder();

function cString(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return decoder.decode(nul === -1 ? field : field.subarray(0, nul));
}

function numeric(block: Uint8Array, start: number, length: number): number {
  // Base-256 (GNU) when the high bit of the first byte is set; octal text otherwise.
  if (block[start] & 0x80) {
    let n = block[start] & 0x7f;
    for (let i = 1; i < length; i++) n = n * 256 + block[start + i];
    return n;
  }
  const text = cString(block, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

function checksumOk(block: Uint8Array): boolean {
  const stored = numeric(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum === stored;
}

function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = decoder.decode(data);
  let at = 0;
  while (at < text.length) {
    const space = text.indexOf(" ", at);
    if (space === -1) break;
    const length = parseInt(text.slice(at, space), 10);
    if (!(length > 0)) break;
    const record = text.slice(space + 1, at + length - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

/** Refuses names that could land outside the directory the archive is read into. */
export function checkEntryName(name: string, source: string): void {
  const normalized = name.replaceAll("\\", "/");
  if (normalized.startsWith("/") || /^[a-zA-Z]:/.test(normalized)) {
    throw new ArchiveError(source, name, "absolute paths are not allowed in an archive");
  }
  if (normalized.split("/").includes("..")) {
    throw new ArchiveError(source, name, "paths that reference a parent directory are refused");
  }
}

/** Reads every regular file of an uncompressed tar stream, enforcing `limits`. */
export function readTar(tar: Uint8Array, limits: ArchiveLimits, source: string): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  let total = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(header)) {
      throw new ArchiveError(source, undefined, `corrupt tar header at byte ${offset}`);
    }
    const type = String.fromCharCode(header[156] || 0x30);
    const size = numeric(header, 124, 12);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) {
      throw new ArchiveError(source, undefined, "truncated tar archive");
    }
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    const prefix = cString(header, 345, 155);
    const rawName = cString(header, 0, 100);
    const name = pax.get("path") ?? longName ?? (prefix ? `${prefix}/${rawName}` : rawName);
    switch (type) {
      case "x":
        pax = parsePax(data);
        continue;
      case "g":
        continue;
      case "L":
        longName = cString(data, 0, data.length);
        continue;
      case "K":
        continue;
    }
    longName = undefined;
    pax = new Map();
    checkEntryName(name, source);
    if (type === "5") continue; // directories are implied by file names
    if (type === "1" || type === "2") {
      throw new ArchiveError(source, name, "links are not allowed in an archive");
    }
    if (type !== "0" && type !== "7") {
      throw new ArchiveError(source, name, `unsupported tar entry type '${type}'`);
    }
    if (size > limits.maxFileBytes) {
      throw new ArchiveError(
        source,
        name,
        `file is ${size} bytes, more than the limit of ${limits.maxFileBytes}`,
      );
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new ArchiveError(source, undefined, `more than ${limits.maxTotalBytes} bytes of files`);
    }
    if (entries.length >= limits.maxFiles) {
      throw new ArchiveError(source, undefined, `more than ${limits.maxFiles} files`);
    }
    entries.push({ name, data: data.slice(), mode: numeric(header, 100, 8) & 0o7777 });
  }
  return entries;
}
