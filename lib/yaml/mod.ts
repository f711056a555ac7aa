// Multi-document YAML parsing with limits, so untrusted input fails fast and clearly:
// alias expansion is capped ("billion laughs"), oversized documents and files are refused,
// duplicate keys are errors, and every error carries the file, document index, line and column.
import YAML from "yaml";

export { YAML };
export { plainReadsAsString } from "./go_yaml_v2_resolve.ts";

export interface YamlLimits {
  /** Largest accepted document, in bytes of source text. */
  maxDocumentBytes?: number;
  /** Largest accepted input, in bytes. */
  maxInputBytes?: number;
  /** Aliases resolved per document at most. */
  maxAliases?: number;
}

export const DEFAULT_LIMITS: Required<YamlLimits> = {
  maxDocumentBytes: 10 * 1024 * 1024,
  maxInputBytes: 64 * 1024 * 1024,
  maxAliases: 100,
};

export interface YamlOptions extends YamlLimits {
  /** Named in error messages. */
  file?: string;
  /** "1.1" reads yes/no/on/off as booleans and 0777 as octal, as go-yaml v2 does. */
  version?: "1.1" | "1.2";
}

/** A position in the source, 1-based as editors show it. */
export interface SourcePosition {
  line: number;
  col: number;
}

export class YamlError extends Error {
  override readonly name = "YamlError";
  constructor(
    readonly file: string | undefined,
    /** 0-based index of the document in the stream, when known. */
    readonly documentIndex: number | undefined,
    readonly reason: string,
    readonly position?: SourcePosition,
  ) {
    super(formatYamlError(file, documentIndex, reason, position));
  }
}

function formatYamlError(
  file: string | undefined,
  documentIndex: number | undefined,
  reason: string,
  position?: SourcePosition,
): string {
  const where: string[] = [];
  if (file) where.push(file);
  if (documentIndex !== undefined) where.push(`document ${documentIndex + 1}`);
  if (position) where.push(`line ${position.line}, column ${position.col}`);
  return where.length > 0 ? `${where.join(": ")}: ${reason}` : reason;
}

const MAX_ERRORS_PER_DOCUMENT = 10;

export interface ParsedDocument {
  /** 0-based index in the stream. */
  index: number;
  /** The plain JavaScript value (null for an empty document). */
  value: unknown;
  /** The `yaml` Document, for comment-preserving edits and source positions. */
  document: YAML.Document.Parsed;
  /** Line of the document's first content, 1-based. */
  line: number;
  errors: YamlError[];
}

/** Parses every document of a stream; errors are collected per document, not thrown. */
export function parseDocuments(text: string, options: YamlOptions = {}): ParsedDocument[] {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const bytes = byteLength(text);
  if (bytes > limits.maxInputBytes) {
    throw new YamlError(
      options.file,
      undefined,
      `input is ${formatBytes(bytes)}, over the limit of ${formatBytes(limits.maxInputBytes)}`,
    );
  }
  const lineStarts = lineStartOffsets(text);
  let documents: YAML.Document.Parsed[];
  try {
    const parsed = YAML.parseAllDocuments(text, {
      uniqueKeys: true,
      prettyErrors: false,
      version: options.version ?? "1.2",
      strict: true,
    });
    documents = Array.isArray(parsed) ? parsed : [parsed as unknown as YAML.Document.Parsed];
  } catch (e) {
    throw new YamlError(options.file, undefined, stackSafeReason(e));
  }
  const out: ParsedDocument[] = [];
  documents.forEach((document, index) => {
    const errors: YamlError[] = [];
    const start = document.range?.[0] ?? 0;
    const end = document.range?.[2] ?? document.range?.[1] ?? start;
    const line = positionOf(lineStarts, firstContentOffset(document, start)).line;
    for (const err of document.errors) {
      const pos = err.linePos?.[0] ?? positionOf(lineStarts, err.pos[0]);
      if (/call stack/i.test(err.message)) {
        // The parser recursed too deep; everything reported after that is noise.
        errors.length = 0;
        errors.push(new YamlError(options.file, index, "document is nested too deeply", pos));
        break;
      }
      errors.push(new YamlError(options.file, index, describeYamlError(err), pos));
      if (errors.length >= MAX_ERRORS_PER_DOCUMENT) break;
    }
    let value: unknown = null;
    if (end - start > limits.maxDocumentBytes) {
      errors.push(
        new YamlError(
          options.file,
          index,
          `document is ${formatBytes(end - start)}, over the limit of ${
            formatBytes(limits.maxDocumentBytes)
          }`,
          { line, col: 1 },
        ),
      );
    } else if (errors.length === 0) {
      try {
        value = document.toJS({ maxAliasCount: limits.maxAliases });
      } catch (e) {
        errors.push(new YamlError(options.file, index, stackSafeReason(e), { line, col: 1 }));
      }
    }
    out.push({ index, value, document, line, errors });
  });
  return out;
}

/** Parses a stream and returns the values of its non-empty documents; throws the first error. */
export function parseAll(text: string, options: YamlOptions = {}): unknown[] {
  const values: unknown[] = [];
  for (const doc of parseDocuments(text, options)) {
    if (doc.errors.length > 0) throw doc.errors[0];
    if (doc.value !== null && doc.value !== undefined) values.push(doc.value);
  }
  return values;
}

/** Parses a single-document input; throws on any error or on more than one document. */
export function parseOne(text: string, options: YamlOptions = {}): unknown {
  const docs = parseDocuments(text, options);
  for (const doc of docs) if (doc.errors.length > 0) throw doc.errors[0];
  const nonEmpty = docs.filter((d) => d.value !== null && d.value !== undefined);
  if (nonEmpty.length > 1) {
    throw new YamlError(options.file, 1, "expected a single YAML document, found several");
  }
  return nonEmpty[0]?.value ?? null;
}

/** Reads a file as UTF-8, refusing invalid bytes with a clear error. */
export async function readTextStrict(path: string, maxBytes = DEFAULT_LIMITS.maxInputBytes) {
  const info = await Deno.stat(path);
  if (info.size > maxBytes) {
    throw new YamlError(
      path,
      undefined,
      `file is ${formatBytes(info.size)}, over the limit of ${formatBytes(maxBytes)}`,
    );
  }
  const bytes = await Deno.readFile(path);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new YamlError(path, undefined, "file is not valid UTF-8 text");
  }
}

function describeYamlError(err: YAML.YAMLError): string {
  // The yaml package appends a source excerpt after a newline; keep the first line only.
  let reason = err.message.split("\n")[0];
  reason = reason.replace(/ at line \d+, column \d+:?$/, "");
  if (err.code === "DUPLICATE_KEY") {
    reason = reason.replace(/^Map keys must be unique/, "duplicate key");
  }
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

function stackSafeReason(e: unknown): string {
  if (e instanceof RangeError) return "document is nested too deeply";
  const message = e instanceof Error ? e.message : String(e);
  if (/Excessive alias count/i.test(message)) {
    return "too many aliases: alias expansion is limited (a YAML bomb?)";
  }
  return message.split("\n")[0];
}

function firstContentOffset(document: YAML.Document.Parsed, fallback: number): number {
  const contents = document.contents as { range?: [number, number, number] } | null;
  return contents?.range?.[0] ?? fallback;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionOf(lineStarts: number[], offset: number): SourcePosition {
  let lo = 0, hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
}

function byteLength(text: string): number {
  // Cheap upper-bound first: UTF-16 length * 3 bytes covers every string.
  if (text.length * 3 < DEFAULT_LIMITS.maxDocumentBytes) return text.length;
  return new TextEncoder().encode(text).length;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
