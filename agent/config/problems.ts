// Config problems: each names the file, the document, the object, the field and what was
// expected; ConfigError carries all problems of a file at once.

export interface ConfigProblem {
  file: string;
  /** 0-based index of the document (printed 1-based); undefined for whole-file problems. */
  documentIndex: number | undefined;
  kind: string | undefined;
  namespace: string | undefined;
  name: string | undefined;
  /** Field path such as "spec.sourceRef.name"; empty for the document as a whole. */
  path: string;
  message: string;
  /** Where a YAML syntax error is, 1-based. */
  line?: number;
  column?: number;
}

/** One line per problem (a hint may follow on an indented line), as STYLE.md shows. */
export function formatProblem(p: ConfigProblem): string {
  const where = [p.file];
  if (p.documentIndex !== undefined) {
    let doc = `document ${p.documentIndex + 1}`;
    if (p.kind) {
      const id = p.name ? ` ${p.namespace ? `${p.namespace}/` : ""}${p.name}` : "";
      doc += ` (${p.kind}${id})`;
    }
    where.push(doc);
  }
  if (p.line !== undefined) where.push(`line ${p.line}, column ${p.column ?? 1}`);
  if (p.path) where.push(p.path);
  return `${where.join(": ")}: ${p.message}`;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly file: string, readonly problems: ConfigProblem[]) {
    super(
      problems.length === 1
        ? formatProblem(problems[0])
        : `${file}: ${problems.length} problems:\n${problems.map(formatProblem).join("\n")}`,
    );
  }
}

/** The file could not be read at all (missing, unreadable, not UTF-8): exit code 2 material. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
  constructor(readonly file: string, readonly reason: string) {
    super(`config file ${file} ${reason}`);
  }
}
