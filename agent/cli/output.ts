// How commands print: data as a table for people or JSON/YAML for machines, colour only
// on a terminal with NO_COLOR unset, errors on stderr.
import { YAML } from "../../lib/yaml/mod.ts";

export type OutputFormat = "table" | "json" | "yaml";

export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === "" || value === "table" || value === "wide") return "table";
  if (value === "json" || value === "yaml") return value;
  throw new UsageError(`unknown output format "${value}": expected json or yaml`);
}

export function useColor(stream: { isTerminal(): boolean } = Deno.stdout): boolean {
  return stream.isTerminal() && !Deno.env.get("NO_COLOR");
}

export interface Palette {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
export const colorPalette: Palette = {
  red: ansi(31),
  green: ansi(32),
  yellow: ansi(33),
  bold: ansi(1),
  dim: ansi(2),
};
export const plainPalette: Palette = {
  red: (s) => s,
  green: (s) => s,
  yellow: (s) => s,
  bold: (s) => s,
  dim: (s) => s,
};

export function palette(stream: { isTerminal(): boolean } = Deno.stdout): Palette {
  return useColor(stream) ? colorPalette : plainPalette;
}

/** Prints data as JSON or YAML. */
export function formatData(value: unknown, format: "json" | "yaml"): string {
  return format === "json" ? JSON.stringify(value, null, 2) + "\n" : YAML.stringify(value);
}

/** A kubectl-style table: upper-case headers, columns padded with three spaces. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("   ").trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n") + "\n";
}

/** A mistake in how the command was called: exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An expected failure with a message for people and a chosen exit code. */
export class CommandError extends Error {
  override readonly name = "CommandError";
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
