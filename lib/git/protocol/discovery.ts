// Ref discovery (what `git ls-remote` does) over smart HTTP: GET info/refs?service=..., the
// refs, peeled tags, HEAD's target and the server's capabilities. One request per poll.
import type { HttpClient } from "../transport/types.ts";
import { GitError } from "../errors.ts";
import type { RemoteRef } from "../refs.ts";
import { PktReader } from "./pkt_line.ts";

export interface Advertisement {
  refs: RemoteRef[];
  capabilities: Set<string>;
}

export type Service = "git-upload-pack" | "git-receive-pack";

export async function discoverRefs(
  http: HttpClient,
  url: string,
  where: string,
  service: Service = "git-upload-pack",
): Promise<Advertisement> {
  const response = await http.request({
    url: `${url.replace(/\/$/, "")}/info/refs?service=${service}`,
    method: "GET",
    headers: { "user-agent": "git/skiff", accept: "*/*" },
  });
  checkStatus(response.statusCode, response.statusMessage, where);
  const type = response.headers?.["content-type"] ?? "";
  if (type !== `application/x-${service}-advertisement`) {
    throw new GitError(
      "GitOperationFailed",
      `the server does not speak Git's smart HTTP protocol (content-type "${type}")`,
      where,
    );
  }
  const reader = new PktReader(response.body ?? emptyBody(), where);
  const first = await reader.readText();
  if (first !== `# service=${service}`) {
    throw new GitError("GitOperationFailed", `unexpected service line "${first}"`, where);
  }
  if (await reader.read() !== null) {
    throw new GitError("GitOperationFailed", "expected a flush after the service line", where);
  }
  const refs = new Map<string, RemoteRef>();
  let capabilities = new Set<string>();
  let headTarget: string | undefined;
  for (let n = 0;; n++) {
    const line = await reader.readText();
    if (line === null || line === undefined) break;
    let text = line;
    if (n === 0) {
      const nul = line.indexOf("\0");
      if (nul >= 0) {
        capabilities = new Set(line.slice(nul + 1).split(" ").filter(Boolean));
        text = line.slice(0, nul);
      }
      for (const cap of capabilities) {
        if (cap.startsWith("symref=HEAD:")) headTarget = cap.slice("symref=HEAD:".length);
      }
    }
    const [oid, name] = text.split(" ");
    if (!name || name === "capabilities^{}") continue;
    if (name.endsWith("^{}")) {
      const tag = refs.get(name.slice(0, -3));
      if (tag) tag.peeled = oid;
      continue;
    }
    refs.set(name, { ref: name, oid });
  }
  const head = refs.get("HEAD");
  if (head && headTarget) head.target = headTarget;
  return { refs: [...refs.values()], capabilities };
}

export function checkStatus(status: number, message: string | undefined, where: string): void {
  if (status === 200) return;
  if (status === 401 || status === 403) {
    throw new GitError(
      "AuthFailed",
      `the server refused the credentials (HTTP ${status}); check spec.secretRef`,
      where,
    );
  }
  if (status === 407) {
    throw new GitError(
      "AuthFailed",
      "the proxy refused the credentials (HTTP 407); check spec.proxySecretRef",
      where,
    );
  }
  if (status === 404) {
    throw new GitError("GitOperationFailed", "repository not found (HTTP 404)", where);
  }
  throw new GitError("GitOperationFailed", `HTTP ${status} ${message ?? ""}`.trim(), where);
}

async function* emptyBody(): AsyncIterableIterator<Uint8Array> {}
