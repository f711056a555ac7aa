// What the whole-buffer tar reader (tar.ts) and the streaming one (tar_stream.ts) share: parsing
// a 512-byte header, naming an entry from PAX and GNU long-name records, and the rules an entry
// must pass (no absolute or climbing paths, no links or devices, size and count limits). One
// copy of these rules, so both readers refuse the same archives for the same reasons.
import { ArchiveError } from "./errors.ts";
import type { ArchiveLimits } from "./limits.ts";

export const BLOCK = 512;
/** Largest PAX or GNU long-name record kept; real ones are a few hundred bytes. */
export const MAX_META_BYTES = 1024 * 1024;
const decoder = new TextDecoder();

export function cString(block: Uint8Array, start: number, length: number): string {
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

/** One header block, read; `null` for the all-zero end-of-archive block. */
export interface TarHeader {
  /** The type flag ("0" for a regular file; NUL is read as "0"). */
  type: string;
  /** Bytes of data following the header (padded to whole blocks in the archive). */
  size: number;
  /** The name as the header writes it (ustar prefix joined), before PAX or GNU overrides. */
  name: string;
  mode: number;
}

/** Parses the header block found at byte `offset` of the tar (for messages). */
export function parseHeader(block: Uint8Array, offset: number, source: string): TarHeader | null {
  if (block.every((b) => b === 0)) return null;
  if (!checksumOk(block)) {
    throw new ArchiveError(source, undefined, `corrupt tar header at byte ${offset}`);
  }
  const prefix = cString(block, 345, 155);
  const rawName = cString(block, 0, 100);
  return {
    type: String.fromCharCode(block[156] || 0x30),
    size: numeric(block, 124, 12),
    name: prefix ? `${prefix}/${rawName}` : rawName,
    mode: numeric(block, 100, 8) & 0o7777,
  };
}

/** Whether the entry only describes the next one (PAX, GNU long names): its data is needed. */
export function isMetaEntry(type: string): boolean {
  return type === "x" || type === "g" || type === "L" || type === "K";
}

/**
 * The rules over a whole archive: names each entry from the PAX or GNU records before it, and
 * checks it against the limits. Both readers feed it the same way: `meta` for each meta entry
 * with its data, `admit` for every other entry.
 */
export class EntryRules {
  #files = 0;
  #total = 0;
  #longName: string | undefined;
  #pax = new Map<string, string>();

  constructor(readonly limits: ArchiveLimits, readonly source: string) {}

  /** Refuses a meta entry's data before it is buffered when it is too big to be genuine. */
  checkMetaSize(header: TarHeader): void {
    if (header.size > MAX_META_BYTES) {
      throw new ArchiveError(
        this.source,
        undefined,
        `a tar '${header.type}' record of ${header.size} bytes (more than ${MAX_META_BYTES})`,
      );
    }
  }

  meta(header: TarHeader, data: Uint8Array): void {
    if (header.type === "x") this.#pax = parsePax(data);
    else if (header.type === "L") this.#longName = cString(data, 0, data.length);
  }

  /**
   * The entry's full name when it is a regular file to keep; `undefined` for a directory (which
   * file names imply). Throws ArchiveError for what an archive must not hold.
   */
  admit(header: TarHeader): string | undefined {
    const name = this.#pax.get("path") ?? this.#longName ?? header.name;
    this.#longName = undefined;
    this.#pax = new Map();
    const { type, size } = header;
    checkEntryName(name, this.source);
    if (type === "5") return undefined;
    if (type === "1" || type === "2") {
      throw new ArchiveError(this.source, name, "links are not allowed in an archive");
    }
    if (type !== "0" && type !== "7") {
      throw new ArchiveError(this.source, name, `unsupported tar entry type '${type}'`);
    }
    if (size > this.limits.maxFileBytes) {
      throw new ArchiveError(
        this.source,
        name,
        `file is ${size} bytes, more than the limit of ${this.limits.maxFileBytes}`,
      );
    }
    this.#total += size;
    if (this.#total > this.limits.maxTotalBytes) {
      throw new ArchiveError(
        this.source,
        undefined,
        `more than ${this.limits.maxTotalBytes} bytes of files`,
      );
    }
    if (this.#files >= this.limits.maxFiles) {
      throw new ArchiveError(this.source, undefined, `more than ${this.limits.maxFiles} files`);
    }
    this.#files++;
    return name;
  }
}
