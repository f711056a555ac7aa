// Flux asks each forge for the commit's current statuses before posting, and posts nothing when
// the latest status under the same key already has the same state and description: a restart
// (or a second agent) then leaves no repeated statuses. These are those questions, one per
// forge, in each API's list format.
import type { PresenceCheck } from "./http_call.ts";

export interface WantedStatus {
  key: string;
  state: string;
  description: string;
}

type Json = Record<string, unknown>;

function records(answer: unknown): Json[] {
  return Array.isArray(answer)
    ? answer.filter((a): a is Json => typeof a === "object" && a !== null)
    : [];
}

/** The newest entry with our key decides; the lists come newest first. */
function latestMatches(
  list: Json[],
  keyOf: (s: Json) => unknown,
  stateOf: (s: Json) => unknown,
  want: WantedStatus,
): boolean {
  const latest = list.find((s) => keyOf(s) === want.key);
  return latest !== undefined && stateOf(latest) === want.state &&
    latest.description === want.description;
}

/** GitHub: GET /repos/{owner}/{repo}/commits/{sha}/statuses, `context` and `state`. */
export function githubCheck(
  statusesUrl: string,
  headers: Record<string, string>,
  want: WantedStatus,
): PresenceCheck {
  return {
    url: `${statusesUrl}?per_page=50`,
    headers,
    present: (a) => latestMatches(records(a), (s) => s.context, (s) => s.state, want),
  };
}

/** Gitea: GET /repos/{owner}/{repo}/statuses/{sha}, `context` and `status`. */
export function giteaCheck(
  statusesUrl: string,
  headers: Record<string, string>,
  want: WantedStatus,
): PresenceCheck {
  return {
    url: `${statusesUrl}?limit=50`,
    headers,
    present: (a) => latestMatches(records(a), (s) => s.context, (s) => s.status, want),
  };
}

/** GitLab: GET /projects/{id}/repository/commits/{sha}/statuses?name=<key>, `name` and `status`. */
export function gitlabCheck(
  statusesUrl: string,
  headers: Record<string, string>,
  want: WantedStatus,
): PresenceCheck {
  return {
    url: `${statusesUrl}?name=${encodeURIComponent(want.key)}`,
    headers,
    present: (a) =>
      records(a).some((s) =>
        s.name === want.key && s.status === want.state && s.description === want.description
      ),
  };
}

/** Bitbucket Cloud: GET .../statuses/build/{key}, one status or 404. */
export function bitbucketCheck(
  statusUrl: string,
  headers: Record<string, string>,
  want: WantedStatus,
): PresenceCheck {
  return {
    url: statusUrl,
    headers,
    present: (a) => {
      const s = a as Json;
      return s?.state === want.state && s?.description === want.description;
    },
  };
}

/** Bitbucket Server: GET .../commits/{sha}/builds?key=<key>, one build status or 404. */
export function bitbucketServerCheck(
  buildsUrl: string,
  headers: Record<string, string>,
  want: WantedStatus & { name: string },
): PresenceCheck {
  return {
    url: `${buildsUrl}?key=${encodeURIComponent(want.key)}`,
    headers,
    present: (a) => {
      const s = a as Json;
      return s?.key === want.key && s?.state === want.state &&
        s?.description === want.description && s?.name === want.name;
    },
  };
}

/** Azure DevOps: GET .../commits/{sha}/statuses, `{value: [{context: {genre, name}, state}]}`. */
export function azureDevOpsCheck(
  statusesUrl: string,
  headers: Record<string, string>,
  want: WantedStatus,
): PresenceCheck {
  return {
    url: statusesUrl,
    headers,
    present: (a) => {
      const list = records((a as Json)?.value);
      const latest = list.find((s) => {
        const c = s.context as Json | undefined;
        return c?.name === want.key && c?.genre === "fluxcd";
      });
      return latest !== undefined && latest.state === want.state &&
        latest.description === want.description;
    },
  };
}
