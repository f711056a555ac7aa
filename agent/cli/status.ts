// `skiff status`: what a running agent is doing, as a table like `flux get all`.
import type { StatusEntry } from "../server/mod.ts";
import { fetchStatusReport } from "./agent_api.ts";
import { formatData, formatTable, type OutputFormat, palette } from "./output.ts";
import { RECONCILED_KINDS } from "./reconcile_target.ts";

export async function statusCommand(agentUrl: string, format: OutputFormat): Promise<number> {
  const { objects, warnings } = await fetchStatusReport(agentUrl);
  if (format !== "table") {
    write(formatData({ objects, warnings }, format));
    return 0;
  }
  // About the agent itself (two agents on one cluster): on stderr, so the table stays parseable.
  for (const w of warnings) console.error(`warning: ${w}`);
  const colors = palette(Deno.stdout);
  const rows = byKind(objects).map((o) => [
    `${o.kind}/${o.name}`,
    o.namespace,
    o.revision ?? "",
    o.suspended ? "True" : "False",
    o.ready === "True"
      ? colors.green(o.ready)
      : o.ready === "False"
      ? colors.red(o.ready)
      : o.ready,
    o.message.split("\n")[0],
  ]);
  write(formatTable(["name", "namespace", "revision", "suspended", "ready", "message"], rows));
  // Not-ready objects make the exit code 1, for scripts waiting on a sync.
  return objects.every((o) => o.ready === "True" || o.suspended) ? 0 : 1;
}

/** Sources, then what renders them, then image automation, as `flux get all` lists them. */

/** Grouped by kind; within a kind the agent's order stays (the config's, dependsOn's). */
function byKind(objects: StatusEntry[]): StatusEntry[] {
  const rank = (kind: string) => {
    const i = RECONCILED_KINDS.indexOf(kind);
    return i < 0 ? RECONCILED_KINDS.length : i;
  };
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind));
}

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text));
}
