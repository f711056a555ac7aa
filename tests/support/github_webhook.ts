// A GitHub push webhook as the stories and the benchmark send it: the Receiver document that
// accepts it and the X-Hub-Signature-256 value GitHub would compute for a body.
import { hmacHex } from "../../agent/server/mod.ts";

/** The Receiver named `github` in flux-system, reading its token from Secret `webhook-token`. */
export const githubPushReceiver = `apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: {name: github, namespace: flux-system}
spec:
  type: github
  events: [push]
  secretRef: {name: webhook-token}
  resources:
    - {kind: GitRepository, name: fleet}
`;

/** The X-Hub-Signature-256 header value for `body` signed with `token`. */
export async function githubSignature(token: string, body: string | Uint8Array): Promise<string> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return "sha256=" + await hmacHex("SHA-256", token, bytes);
}

/** POSTs a signed push event for refs/heads/main to `hook` and returns the response status. */
export async function sendGithubPush(hook: string, token: string): Promise<number> {
  const body = JSON.stringify({ ref: "refs/heads/main" });
  const response = await fetch(hook, {
    method: "POST",
    body,
    headers: {
      "x-github-event": "push",
      "x-hub-signature-256": await githubSignature(token, body),
    },
  });
  await response.body?.cancel();
  return response.status;
}
