// The push half of the pack protocol: one POST to git-receive-pack with the ref update
// ("old new ref") and a pack, answered by report-status ("unpack ok", "ok ref" / "ng ref why").
// The old value makes the update a compare-and-swap: a ref that moved meanwhile is refused.
import type { HttpClient } from "../transport/types.ts";
import { GitError } from "../errors.ts";
import { concatBytes } from "../../bytes/mod.ts";
import { FLUSH, pktLine } from "./pkt_line.ts";
import { requestService } from "./service_request.ts";

export interface RefUpdate {
  ref: string;
  /** The value the ref must have now (40 zeros: it must not exist). */
  old: string;
  new: string;
}

export type PushOutcome = { ok: true } | { ok: false; reason: string };

export async function receivePack(
  http: HttpClient,
  url: string,
  update: RefUpdate,
  pack: Uint8Array,
  serverCapabilities: Set<string>,
  where: string,
  /** `git push -o` strings (e.g. GitLab's `merge_request.create`), sent after the commands. */
  pushOptions: readonly string[] = [],
): Promise<PushOutcome> {
  if (!serverCapabilities.has("report-status")) {
    throw new GitError("GitOperationFailed", "the server does not offer report-status", where);
  }
  const withOptions = pushOptions.length > 0;
  if (withOptions && !serverCapabilities.has("push-options")) {
    throw new GitError(
      "GitOperationFailed",
      "the server does not accept push options (git: receive.advertisePushOptions)",
      where,
    );
  }
  const capabilities = `report-status${withOptions ? " push-options" : ""} agent=skiff`;
  const body = concatBytes([
    pktLine(`${update.old} ${update.new} ${update.ref}\0${capabilities}\n`),
    FLUSH,
    ...(withOptions ? [...pushOptions.map((o) => pktLine(o)), FLUSH] : []),
    pack,
  ]);
  const reader = await requestService(http, url, "git-receive-pack", body, where);
  const unpack = await reader.readText();
  if (typeof unpack !== "string" || !unpack.startsWith("unpack ")) {
    throw new GitError("GitOperationFailed", "the server sent no push report", where);
  }
  if (unpack !== "unpack ok") {
    return { ok: false, reason: `the server could not unpack: ${unpack.slice(7)}` };
  }
  while (true) {
    const line = await reader.readText();
    if (line === null || line === undefined) break;
    if (line === `ok ${update.ref}`) return { ok: true };
    if (line.startsWith(`ng ${update.ref} `)) {
      return { ok: false, reason: line.slice(`ng ${update.ref} `.length) };
    }
  }
  throw new GitError("GitOperationFailed", `the push report does not mention ${update.ref}`, where);
}
