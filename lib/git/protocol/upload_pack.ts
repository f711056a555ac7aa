// The fetch half of the pack protocol (v0/v1, stateless as over smart HTTP): one POST to
// git-upload-pack with wants, our shallow boundary, a deepen limit and haves; the reply is the
// shallow update, ACK/NAK, then the pack multiplexed on side-band 1.
import type { HttpClient } from "../transport/types.ts";
import { GitError } from "../errors.ts";
import { concatBytes } from "../../bytes/mod.ts";
import { FLUSH, pktLine, type PktReader } from "./pkt_line.ts";
import { requestService } from "./service_request.ts";

export interface UploadPackRequest {
  wants: string[];
  haves: string[];
  /** Commits we hold without their parents (our shallow boundary). */
  shallow: string[];
  depth?: number;
  since?: Date;
  /** What the server advertised; only those we also know are asked for. */
  serverCapabilities: Set<string>;
}

export interface UploadPackResult {
  pack: Uint8Array;
  shallow: string[];
  unshallow: string[];
}

const WANTED_CAPABILITIES = [
  "multi_ack_detailed",
  "side-band-64k",
  "ofs-delta",
  "shallow",
  "deepen-since",
  "no-progress",
];

export async function uploadPack(
  http: HttpClient,
  url: string,
  request: UploadPackRequest,
  where: string,
  maxBytes?: number,
): Promise<UploadPackResult> {
  const caps = WANTED_CAPABILITIES.filter((c) => request.serverCapabilities.has(c));
  if (!caps.includes("side-band-64k")) {
    throw new GitError("GitOperationFailed", "the server does not offer side-band-64k", where);
  }
  const deepening = request.depth !== undefined || request.since !== undefined;
  if (deepening && !caps.includes("shallow")) {
    throw new GitError("GitOperationFailed", "the server does not support shallow fetches", where);
  }
  const lines: Uint8Array[] = [];
  request.wants.forEach((oid, i) =>
    lines.push(pktLine(i === 0 ? `want ${oid} ${caps.join(" ")} agent=skiff\n` : `want ${oid}\n`))
  );
  for (const oid of request.shallow) lines.push(pktLine(`shallow ${oid}\n`));
  if (request.since !== undefined && caps.includes("deepen-since")) {
    lines.push(pktLine(`deepen-since ${Math.floor(request.since.getTime() / 1000)}\n`));
  } else if (deepening) {
    lines.push(pktLine(`deepen ${request.depth ?? 1}\n`));
  }
  lines.push(FLUSH);
  for (const oid of request.haves) lines.push(pktLine(`have ${oid}\n`));
  lines.push(pktLine("done\n"));
  const body = concatBytes(lines);

  const reader = await requestService(http, url, "git-upload-pack", body, where);

  const shallow: string[] = [];
  const unshallow: string[] = [];
  if (deepening) {
    while (true) {
      const line = await reader.readText();
      if (line === null) break;
      if (line === undefined) throw truncated(where);
      failOnError(line, where);
      if (line.startsWith("shallow ")) shallow.push(line.slice(8));
      else if (line.startsWith("unshallow ")) unshallow.push(line.slice(10));
      else if (line.startsWith("ACK") || line === "NAK") {
        // Some servers skip the shallow section when nothing changed.
        if (isFinalAck(line)) return await readPack(reader, where, maxBytes, shallow, unshallow);
      }
    }
  }
  while (true) {
    const line = await reader.readText();
    if (line === undefined) throw truncated(where);
    if (line === null) continue;
    failOnError(line, where);
    if (isFinalAck(line)) break;
  }
  return await readPack(reader, where, maxBytes, shallow, unshallow);
}

function isFinalAck(line: string): boolean {
  return line === "NAK" || /^ACK [0-9a-f]{40}$/.test(line);
}

function failOnError(line: string, where: string): void {
  if (line.startsWith("ERR ")) {
    throw new GitError("GitOperationFailed", `the server said: ${line.slice(4)}`, where);
  }
}

function truncated(where: string): GitError {
  return new GitError("CorruptPack", "the server's response ended before the pack", where);
}

async function readPack(
  reader: PktReader,
  where: string,
  maxBytes: number | undefined,
  shallow: string[],
  unshallow: string[],
): Promise<UploadPackResult> {
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const line = await reader.read();
    if (line === null || line === undefined) break;
    const band = line[0];
    if (band === 1) {
      parts.push(line.slice(1));
      size += line.length - 1;
      if (maxBytes !== undefined && size > maxBytes) {
        throw new GitError(
          "TooLarge",
          `the pack exceeds the size limit of ${maxBytes} bytes`,
          where,
        );
      }
    } else if (band === 3) {
      const message = new TextDecoder().decode(line.subarray(1)).trim();
      throw new GitError("GitOperationFailed", `the server said: ${message}`, where);
    }
  }
  return { pack: concatBytes(parts), shallow, unshallow };
}
