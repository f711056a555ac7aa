// The words a commit status (and PagerDuty) shows for an event, as Flux's notification
// controller forms them: the name `<kind>/<name>` in lower case (prefixed by the Alert's
// summary when there is one) and the reason split at its camel-case humps, lower case
// ("ReconciliationSucceeded" -> "reconciliation succeeded").
import type { AgentEvent } from "../event.ts";

export function statusName(e: AgentEvent): string {
  const base = `${e.involvedObject.kind}/${e.involvedObject.name}`;
  const summary = e.metadata.summary;
  return (summary ? `${summary}/${base}` : base).toLowerCase();
}

export function reasonWords(reason: string): string {
  return splitCamelCase(reason).join(" ").toLowerCase();
}

type CharClass = "lower" | "upper" | "digit" | "other";

function classOf(ch: string): CharClass {
  if (/\p{Ll}/u.test(ch)) return "lower";
  if (/\p{Lu}/u.test(ch)) return "upper";
  if (/\p{Nd}/u.test(ch)) return "digit";
  return "other";
}

/** Runs of one character class; an upper-case run hands its last letter to a lower-case run. */
export function splitCamelCase(text: string): string[] {
  const runs: string[][] = [];
  let last: CharClass | undefined;
  for (const ch of text) {
    const c = classOf(ch);
    if (c === last) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    // "HTTPServer" -> "HTTP", "Server"
    if (classOf(runs[i][0]) === "upper" && classOf(runs[i + 1][0]) === "lower") {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(""));
}
