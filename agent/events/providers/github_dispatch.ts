// GitHub repository_dispatch: POST /repos/{owner}/{repo}/dispatches with event_type
// `<Kind>/<name>.<namespace>` and the whole event as client_payload, so a workflow can run on
// `repository_dispatch: types: [Kustomization/apps.flux-system]`.
import type { AgentEvent } from "../event.ts";
import { githubApiRoot, ownerAndRepo } from "./git_address.ts";
import { type HttpCall, jsonCall } from "./http_call.ts";
import { type ProviderContext, requireAddress, requireToken } from "./provider_context.ts";

export function githubDispatchCall(p: ProviderContext, e: AgentEvent): HttpCall {
  const repo = ownerAndRepo(p.type, requireAddress(p, "the repository URL"));
  const o = e.involvedObject;
  return jsonCall(`${githubApiRoot(repo)}/repos/${repo.owner}/${repo.repo}/dispatches`, {
    event_type: `${o.kind}/${o.name}.${o.namespace}`,
    client_payload: e,
  }, {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${requireToken(p, "a personal access token")}`,
  });
}
