// `skiff status`: what a running agent is doing, as a table like `flux get all`.
import { fetchStatusReport } from "./agent_api.ts";
import { formatData, formatTable, type OutputFormat, palette } from "./output.ts";

export async function statusCommand(agentUrl: string, format: OutputFormat): Promise<number> {
  const { objects, warnings } = await fetchStatusReport(agentUrl);
  if (format !== "table") {
    write(formatData({ objects, warnings }, format));
    return 0;
  }
  // About the agent itself (two agents on one cluster): on stderr, so the table stays parseable.
  for (const w of warnings) console.error(`warning: ${w}`);
  const colors = palette(Deno.stdout);
  const rows = objects.map((o) => [
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

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text));
}
