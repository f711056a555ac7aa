// The config reference (docs/config.md), generated from the same schemas that validate the
// config, so the documentation cannot drift from what the loader accepts.
import { KINDS, type KindVersion } from "./kinds/mod.ts";
import type { AnySchema } from "./schema/mod.ts";

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

function collectRows(prefix: string, schema: AnySchema, out: Row[]): Row[] {
  for (const { suffix, schema: child } of schema.children()) {
    const path = prefix + suffix;
    if (suffix !== "[]" && suffix !== ".*") {
      out.push({
        path,
        type: child.typeName(),
        default: child.presence === "required" ? "required" : child.defaultDoc ?? "",
        description: child.description,
      });
    }
    collectRows(path, child, out);
  }
  return out;
}

const cell = (s: string) =>
  s.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\n", " ");

function table(rows: Row[]): string[] {
  return [
    "| field | type | default | description |",
    "|---|---|---|---|",
    ...rows.map((r) =>
      `| \`${r.path}\` | ${cell(r.type)} | ${r.default ? cell(r.default) : ""} | ${
        cell(r.description)
      } |`
    ),
  ];
}

function fieldPaths(version: KindVersion<unknown>): Set<string> {
  return new Set(collectRows("spec", version.spec, []).map((r) => r.path));
}

function olderVersion(current: KindVersion<unknown>, older: KindVersion<unknown>): string[] {
  const now = fieldPaths(current);
  const then = fieldPaths(older);
  // A removed object is listed once, not with each of its fields.
  const topmost = (paths: string[]) =>
    paths.filter((p) =>
      !paths.some((q) => q !== p && (p.startsWith(`${q}.`) || p.startsWith(`${q}[`)))
    );
  const onlyOld = topmost([...then].filter((p) => !now.has(p)));
  const onlyNew = topmost([...now].filter((p) => !then.has(p)));
  const lines = [`- \`${older.apiVersion}\`:`];
  for (const note of older.notes) lines.push(`  - ${note}`);
  if (onlyOld.length > 0) {
    lines.push(`  - Fields only in this version: ${onlyOld.map((p) => `\`${p}\``).join(", ")}.`);
  }
  if (onlyNew.length > 0) {
    lines.push(`  - Not accepted in this version: ${onlyNew.map((p) => `\`${p}\``).join(", ")}.`);
  }
  return lines;
}

/** The Markdown text of docs/config.md. */
export function renderConfigReference(): string {
  const out: string[] = [
    "# skiff config reference",
    "",
    "<!-- Generated from agent/config/kinds by `deno run -A agent/config/write_reference_doc.ts`;",
    "     tests/agent/config/reference_doc_test.ts fails when this file is stale. -->",
    "",
    "skiff reads one multi-document YAML file (`skiff run --config FILE`, `skiff validate --config FILE`).",
    "Every document except `kind: Agent` has the shape of a Flux object: `apiVersion`, `kind`,",
    "`metadata` (`name`, `namespace` defaulting to `flux-system`, `labels`, `annotations`) and `spec`.",
    "Older apiVersions are read and normalized to the newest one listed for each kind.",
    "",
    "Conventions:",
    "",
    "- Durations use Go's syntax as Flux accepts it: `90s`, `1m30s`, `1h`, `500ms` (units `h`, `m`, `s`, `ms`).",
    '- Semver ranges use Masterminds syntax: `">=1.0.0 <2.0.0"`, `"^1.2"`, `"~1.2.3 || 2.x"`; `,` means and.',
    "- Regular expressions use Go (RE2) syntax; lookarounds and backreferences are refused.",
    "- Unknown fields, wrong types, dangling references and `dependsOn` cycles are errors; every",
    "  problem of a file is reported at once with its document, object and field.",
    "- References (`sourceRef`, `dependsOn`, `imageRepositoryRef`, ...) default to the referring",
    "  object's namespace and must name an object defined in the same file.",
    "- Fields listed without a default are optional and unset when absent.",
    "",
  ];
  for (const kind of KINDS) {
    const [current, ...older] = kind.versions as readonly KindVersion<unknown>[];
    out.push(`## ${kind.kind}`, "", kind.description, "");
    out.push(
      `apiVersion: ${kind.versions.map((v) => `\`${v.apiVersion}\``).join(", ")}` +
        (older.length > 0 ? ` (the first is the shape the others are normalized to)` : ""),
      "",
    );
    if (!kind.specRequired) out.push("`metadata` and `spec` are optional.", "");
    out.push(...table(collectRows("spec", current.spec, [])), "");
    if (older.length > 0) {
      out.push("Older versions:", "");
      for (const v of older) out.push(...olderVersion(current, v));
      out.push("");
    }
  }
  return out.join("\n");
}
