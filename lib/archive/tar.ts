// A tar reader for archives skiff unpacks (Helm charts, OCI artifact layers). It understands
// ustar, PAX extended headers and GNU long names, and refuses what neither has any business
// containing: links (a symlink could point anywhere on the agent's disk), devices, absolute
// paths and paths that climb out of the archive (the rules live in tar_header.ts, shared with
// the streaming reader).
import { ArchiveError } from "./errors.ts";
import type { ArchiveLimits } from "./limits.ts";
import { BLOCK, EntryRules, isMetaEntry, parseHeader } from "./tar_header.ts";

export { checkEntryName } from "./tar_header.ts";

/** One regular file of an archive, with its name as written in the archive ("/"-separated). */
export interface ArchiveEntry {
  name: string;
  data: Uint8Array;
  /** Permission bits as written (e.g. 0o755), when the reader knows them. */
  mode?: number;
}

/** Reads every regular file of an uncompressed tar stream, enforcing `limits`. */
export function readTar(tar: Uint8Array, limits: ArchiveLimits, source: string): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  const rules = new EntryRules(limits, source);
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = parseHeader(tar.subarray(offset, offset + BLOCK), offset, source);
    if (header === null) break; // end-of-archive marker
    const dataStart = offset + BLOCK;
    if (dataStart + header.size > tar.length) {
      throw new ArchiveError(source, undefined, "truncated tar archive");
    }
    const data = tar.subarray(dataStart, dataStart + header.size);
    offset = dataStart + Math.ceil(header.size / BLOCK) * BLOCK;
    if (isMetaEntry(header.type)) {
      rules.meta(header, data);
      continue;
    }
    const name = rules.admit(header);
    // A view into the tar, not a copy: the entries together are the tar's size anyway.
    if (name !== undefined) entries.push({ name, data, mode: header.mode });
  }
  return entries;
}
