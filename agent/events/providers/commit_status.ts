// Commit statuses on Git forges, as Flux's notification controller posts them: only for events
// whose revision names a commit, state from the severity (info: success, error: failure),
// description from the reason ("reconciliation succeeded"), and a key per (object, Provider):
// `<kind>/<name>/<id>` in lower case. Flux's <id> is the first block of the Provider's UID;
// skiff's Providers live in a file, so <id> is the first 8 hex digits of
// sha256("<provider namespace>/<provider name>"), stable across restarts. Each post first asks
// whether the same status is already there (existing_status.ts).
import type { AgentEvent } from "../event.ts";
import {
  githubApiRoot,
  ownerAndRepo,
  parseGitAddress,
  ProviderAddressError,
} from "./git_address.ts";
import { basicAuth, jsonCall, type Planned } from "./http_call.ts";
import {
  type ProviderContext,
  ProviderSetupError,
  requireAddress,
  requireToken,
} from "./provider_context.ts";
import {
  azureDevOpsCheck,
  bitbucketCheck,
  bitbucketServerCheck,
  giteaCheck,
  githubCheck,
  gitlabCheck,
} from "./existing_status.ts";
import { commitShaOf } from "./revision.ts";
import { reasonWords, statusName } from "./status_text.ts";

// The config's list of forge types is the one this file serves.
export { COMMIT_STATUS_TYPES } from "../../config/mod.ts";

/** GitHub refuses descriptions longer than this; the others accept at least as much. */
const MAX_DESCRIPTION = 140;

export async function commitStatusKey(p: ProviderContext, e: AgentEvent): Promise<string> {
  const id = (await hex("SHA-256", `${p.namespace}/${p.name}`)).slice(0, 8);
  return `${e.involvedObject.kind}/${e.involvedObject.name}/${id}`.toLowerCase();
}

export async function commitStatusCalls(p: ProviderContext, e: AgentEvent): Promise<Planned> {
  // Flux's controllers announce work in progress with this reason; a status waits for the end.
  if (e.reason === "Progressing" && p.type !== "gitea") {
    return { calls: [], skipped: "progressing events set no commit status" };
  }
  const sha = commitShaOf(e.metadata.revision);
  if (!sha) {
    return {
      calls: [],
      skipped: e.metadata.revision
        ? `revision ${e.metadata.revision} names no Git commit`
        : "the event carries no revision",
    };
  }
  const address = requireAddress(p, "the repository URL");
  const key = await commitStatusKey(p, e);
  const description = reasonWords(e.reason).slice(0, MAX_DESCRIPTION);
  const failed = e.severity === "error";
  switch (p.type) {
    case "github": {
      const repo = ownerAndRepo(p.type, address);
      const api = `${githubApiRoot(repo)}/repos/${repo.owner}/${repo.repo}`;
      const want = { key, state: failed ? "failure" : "success", description };
      const headers = {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${requireToken(p, "a personal access token")}`,
      };
      return {
        calls: [{
          ...jsonCall(`${api}/statuses/${sha}`, {
            state: want.state,
            context: key,
            description,
          }, headers),
          unlessPresent: githubCheck(`${api}/commits/${sha}/statuses`, headers, want),
        }],
      };
    }
    case "gitlab": {
      const repo = parseGitAddress(address);
      if (!repo) throw badAddress(p.type, address, "https://host/group/project");
      const api = `${repo.origin}/api/v4/projects/${encodeURIComponent(repo.id)}`;
      const want = { key, state: failed ? "failed" : "success", description };
      const headers = { "private-token": requireToken(p, "an access token") };
      return {
        calls: [{
          ...jsonCall(`${api}/statuses/${sha}`, {
            state: want.state,
            name: key,
            description,
          }, headers),
          unlessPresent: gitlabCheck(`${api}/repository/commits/${sha}/statuses`, headers, want),
        }],
      };
    }
    case "gitea": {
      const repo = ownerAndRepo(p.type, address);
      const url = `${repo.origin}/api/v1/repos/${repo.owner}/${repo.repo}/statuses/${sha}`;
      const state = e.reason === "Progressing" ? "pending" : failed ? "failure" : "success";
      const headers = { authorization: `token ${requireToken(p, "an access token")}` };
      return {
        calls: [{
          ...jsonCall(url, { state, target_url: "", description, context: key }, headers),
          unlessPresent: giteaCheck(url, headers, { key, state, description }),
        }],
      };
    }
    case "bitbucket": {
      const repo = ownerAndRepo(p.type, address);
      const [user, password, ...rest] = requireToken(p, "<username>:<app-password>").split(":");
      if (password === undefined || rest.length > 0) {
        throw new ProviderSetupError(
          "spec.secretRef",
          "a bitbucket provider's 'token' must be <username>:<app-password>",
        );
      }
      const statuses = `https://api.bitbucket.org/2.0/repositories/${repo.owner}/${repo.repo}` +
        `/commit/${sha}/statuses/build`;
      // Bitbucket limits keys to 40 characters: the SHA-1 of the key fits exactly.
      const want = {
        key: await hex("SHA-1", key),
        state: failed ? "FAILED" : "SUCCESSFUL",
        description,
      };
      const headers = { authorization: basicAuth(user, password) };
      return {
        calls: [{
          ...jsonCall(statuses, {
            state: want.state,
            key: want.key,
            name: statusName(e),
            description,
            url: "https://bitbucket.org",
          }, headers),
          unlessPresent: bitbucketCheck(`${statuses}/${want.key}`, headers, want),
        }],
      };
    }
    case "bitbucketserver": {
      const builds = `${bitbucketServerCommits(address)}/${sha}/builds`;
      const want = {
        key: await hex("SHA-1", key),
        state: failed ? "FAILED" : "SUCCESSFUL",
        description,
        // The server shows the name, not the description: both go in it.
        name: `${statusName(e)} [${description}]`,
      };
      const headers = {
        authorization: bitbucketServerAuth(p),
        "x-atlassian-token": "no-check",
        "x-requested-with": "XMLHttpRequest",
      };
      return {
        calls: [{
          ...jsonCall(builds, {
            key: want.key,
            state: want.state,
            url: address,
            description,
            name: want.name,
          }, headers),
          unlessPresent: bitbucketServerCheck(builds, headers, want),
        }],
      };
    }
    case "azuredevops": {
      const repo = parseGitAddress(address);
      const parts = repo?.id.split("/") ?? [];
      if (!repo || parts.length !== 4 || parts[2] !== "_git") {
        throw badAddress(p.type, address, "https://dev.azure.com/<org>/<project>/_git/<repo>");
      }
      const [org, project, , name] = parts;
      const url = `${repo.origin}/${org}/${project}/_apis/git/repositories/${name}` +
        `/commits/${sha}/statuses?api-version=6.0`;
      const want = { key, state: failed ? "error" : "succeeded", description };
      const headers = { authorization: basicAuth("", requireToken(p, "a personal access token")) };
      return {
        calls: [{
          ...jsonCall(url, {
            state: want.state,
            description,
            context: { genre: "fluxcd", name: key },
          }, headers),
          unlessPresent: azureDevOpsCheck(url, headers, want),
        }],
      };
    }
    default:
      throw new ProviderSetupError("spec.type", `${p.type} is not a commit status provider`);
  }
}

function badAddress(type: string, address: string, example: string): ProviderAddressError {
  return new ProviderAddressError(
    type,
    address,
    `a URL like ${example}, got ${JSON.stringify(address)}`,
  );
}

/** `<origin><context>/rest/api/latest/projects/<KEY>/repos/<slug>/commits` of an HTTPS clone URL. */
function bitbucketServerCommits(address: string): string {
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch { /* reported below */ }
  const path = url?.pathname.replace(/\.git$/, "") ?? "";
  // Clone URLs always carry /scm/; what comes before it is the server's context path.
  const at = path.lastIndexOf("/scm/");
  const parts = at >= 0 ? path.slice(at + 5).split("/") : [];
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || parts.length !== 2) {
    throw badAddress("bitbucketserver", address, "https://host[/context]/scm/<project>/<repo>.git");
  }
  return `${url.origin}${path.slice(0, at)}/rest/api/latest/projects/${parts[0]}/repos/${
    parts[1]
  }/commits`;
}

function bitbucketServerAuth(p: ProviderContext): string {
  if (p.secret.token) return `Bearer ${p.secret.token}`;
  if (p.username && p.secret.password) return basicAuth(p.username, p.secret.password);
  throw new ProviderSetupError(
    "spec.secretRef",
    "a bitbucketserver provider needs a 'token' key, or 'password' with a username (spec.username or the Secret's 'username')",
  );
}

async function hex(algorithm: "SHA-1" | "SHA-256", text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest(algorithm, new TextEncoder().encode(text)),
  );
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
