// `skiff validate --config FILE [-o json|yaml]`: load the config and report every problem.
// Exit codes: 0 valid, 1 invalid, 2 the file cannot be read.
import {
  type Config,
  ConfigError,
  ConfigFileError,
  type ConfigProblem,
  formatProblem,
  loadConfigFile,
} from "../config/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import { formatData, formatTable, type OutputFormat, palette } from "./output.ts";

export async function validateCommand(
  path: string,
  format: OutputFormat,
  logger: Logger,
): Promise<number> {
  let config: Config;
  try {
    config = await loadConfigFile(path);
  } catch (e) {
    if (e instanceof ConfigFileError) {
      const colors = palette(Deno.stderr);
      console.error(`${colors.red("error:")} ${e.message}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      printProblems(path, e.problems, format);
      return 1;
    }
    throw e;
  }
  logger.debug("config is valid", { file: path, objects: config.objects.length });
  if (format === "table") {
    const listed = [...(config.agentObject ? [config.agentObject] : []), ...config.objects];
    const rows = listed.map((o) => [
      o.kind,
      o.metadata.namespace,
      o.metadata.name,
      `document ${o.origin.documentIndex + 1}, ${o.origin.apiVersion}`,
    ]);
    const colors = palette(Deno.stdout);
    const count = rows.length === 1 ? "1 object" : `${rows.length} objects`;
    write(formatTable(["kind", "namespace", "name", "from"], rows));
    write(`${colors.green("valid:")} ${path} (${count})\n`);
    return 0;
  }
  write(formatData(asData(config), format));
  return 0;
}

function printProblems(path: string, problems: ConfigProblem[], format: OutputFormat): void {
  if (format !== "table") {
    write(formatData({
      file: path,
      valid: false,
      problems: problems.map((p) => ({
        file: p.file,
        document: p.documentIndex === undefined ? null : p.documentIndex + 1,
        kind: p.kind ?? null,
        namespace: p.namespace ?? null,
        name: p.name ?? null,
        path: p.path,
        message: p.message,
        ...(p.line !== undefined ? { line: p.line, column: p.column } : {}),
      })),
    }, format));
    return;
  }
  const colors = palette(Deno.stderr);
  const lines = problems.map((p) => `${colors.red("error:")} ${formatProblem(p)}`);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  lines.push(`${colors.bold(path)} is invalid: ${count}`);
  console.error(lines.join("\n"));
}

/** The loaded, defaulted objects as data: the Agent (with defaults) first, then file order. */
function asData(config: Config) {
  const agent = config.agentObject;
  return {
    file: config.file,
    valid: true,
    objects: [
      {
        apiVersion: "skiff.dev/v1alpha1",
        kind: "Agent",
        metadata: agent?.metadata ?? { name: "skiff", namespace: "flux-system" },
        spec: config.agent,
      },
      ...config.objects.map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: o.metadata,
        spec: o.spec,
      })),
    ],
  };
}

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text));
}
