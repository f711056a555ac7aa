// Reads a Helm repository index.yaml as a stream and keeps only the entries of the charts asked
// for. A 30 MB index parsed whole costs hundreds of MB; here the text of unwanted charts is
// skipped line by line and only the wanted blocks are parsed.
//
// index.yaml is written by Helm (go-yaml) in block style:
//   entries:
//     nginx:
//     - name: nginx
//       version: 1.2.3
// A chart's block starts with its key at the entries' indentation and runs until the next key at
// that indentation or a line indented less (the end of `entries`). A sequence item ("- ") at the
// key's indentation belongs to the block, as go-yaml does not indent sequences under their key.
// An index that is not in this shape (JSON, flow style) is parsed whole as a fallback.
import { parseGoYaml } from "../values/go_yaml.ts";
import { RepoError } from "./errors.ts";

/** One version of a chart as listed in the index. */
export interface ChartVersion {
  name: string;
  version: string;
  urls: string[];
  digest?: string;
  created?: string;
  appVersion?: string;
  apiVersion?: string;
  deprecated?: boolean;
  [key: string]: unknown;
}

export interface ScannedIndex {
  apiVersion?: string;
  /** Versions of each wanted chart found, in index order. */
  entries: Map<string, ChartVersion[]>;
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === " ") i++;
  return i;
}

const KEY_LINE =
  /^( *)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}\[\],&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/;

function unquote(k: string): string {
  if (k.startsWith('"')) return JSON.parse(k);
  if (k.startsWith("'")) return k.slice(1, -1).replaceAll("''", "'");
  return k;
}

class Scanner {
  private state: "top" | "entries" | "done" = "top";
  private chartIndent = -1;
  private current: string | undefined;
  private block: string[] = [];
  private readonly blocks = new Map<string, string[]>();
  apiVersion: string | undefined;
  /** Set when the index is not in the block shape this scanner reads. */
  unusual = false;

  constructor(private readonly wanted: Set<string>) {}

  private flush(): void {
    if (this.current !== undefined && this.wanted.has(this.current)) {
      const list = this.blocks.get(this.current) ?? [];
      list.push(...this.block);
      this.blocks.set(this.current, list);
    }
    this.current = undefined;
    this.block = [];
  }

  line(line: string): void {
    if (this.unusual) return;
    const trimmed = line.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) {
      if (this.current !== undefined && this.wanted.has(this.current)) this.block.push(line);
      return;
    }
    const indent = indentOf(line);
    if (this.state === "top" || indent === 0) {
      this.flush();
      if (indent !== 0) return; // content of another top-level key
      if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        this.unusual = true;
        return;
      }
      const m = KEY_LINE.exec(line);
      if (!m) return;
      const key = unquote(m[2]);
      if (key === "apiVersion" && m[3]) this.apiVersion = String(parseGoYaml(m[3], "index.yaml"));
      if (key === "entries") {
        if (m[3] && m[3].trim() !== "" && !m[3].trim().startsWith("#")) {
          // `entries: {}` or a flow mapping: not the block shape.
          if (m[3].trim() !== "{}") this.unusual = true;
          this.state = "done";
          return;
        }
        this.state = "entries";
        this.chartIndent = -1;
      } else this.state = "top";
      return;
    }
    if (this.state !== "entries") return;
    if (this.chartIndent === -1) this.chartIndent = indent;
    if (indent < this.chartIndent) {
      this.flush();
      this.state = "top";
      return;
    }
    if (indent === this.chartIndent && !trimmed.startsWith("- ") && trimmed !== "-") {
      const m = KEY_LINE.exec(line);
      if (!m) {
        this.unusual = true;
        return;
      }
      this.flush();
      this.current = unquote(m[2]);
      // The key line starts the block (with an inline flow value, if any).
      if (this.wanted.has(this.current)) this.block.push(line);
      return;
    }
    if (this.current !== undefined && this.wanted.has(this.current)) this.block.push(line);
  }

  finish(): Map<string, string[]> {
    this.flush();
    return this.blocks;
  }
}

function toVersions(repo: string, name: string, value: unknown): ChartVersion[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new RepoError(repo, `index.yaml: entries.${name}: expected a list of chart versions`);
  }
  const out: ChartVersion[] = [];
  for (const v of value) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
    const cv = v as Record<string, unknown>;
    if (typeof cv.version !== "string" && typeof cv.version !== "number") continue;
    out.push({
      ...cv,
      name: typeof cv.name === "string" ? cv.name : name,
      version: String(cv.version),
      urls: Array.isArray(cv.urls) ? cv.urls.filter((u): u is string => typeof u === "string") : [],
      digest: typeof cv.digest === "string" ? cv.digest : undefined,
    });
  }
  return out;
}

function fromWhole(repo: string, text: string, wanted: Set<string>): ScannedIndex {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith("{") ? JSON.parse(text) : parseGoYaml(text, "index.yaml");
  } catch (e) {
    throw new RepoError(repo, `index.yaml is not valid YAML: ${(e as Error).message}`, e);
  }
  const o = (doc ?? {}) as Record<string, unknown>;
  const entries = new Map<string, ChartVersion[]>();
  const all = (o.entries ?? {}) as Record<string, unknown>;
  for (const name of wanted) if (name in all) entries.set(name, toVersions(repo, name, all[name]));
  return { apiVersion: typeof o.apiVersion === "string" ? o.apiVersion : undefined, entries };
}

/**
 * Scans an index.yaml stream for the given chart names. Memory stays proportional to the wanted
 * charts' entries, not to the index (unless the index is JSON or flow style).
 */
export async function scanIndex(
  repo: string,
  body: ReadableStream<Uint8Array>,
  wanted: Iterable<string>,
): Promise<ScannedIndex> {
  const names = new Set(wanted);
  const scanner = new Scanner(names);
  const decoder = new TextDecoder();
  let carry = "";
  // A JSON index (first character `{`) cannot be read line by line: it is kept and parsed whole.
  let mode: "unknown" | "yaml" | "json" = "unknown";
  const whole: string[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    const chunk = done ? decoder.decode() : decoder.decode(value, { stream: true });
    if (mode === "unknown") {
      const first = chunk.trimStart()[0];
      if (first !== undefined) mode = first === "{" || first === "[" ? "json" : "yaml";
    }
    if (mode !== "yaml") {
      whole.push(chunk);
      if (done) break;
      continue;
    }
    const text = carry + chunk;
    let at = 0;
    for (;;) {
      const nl = text.indexOf("\n", at);
      if (nl === -1) break;
      scanner.line(text.charCodeAt(nl - 1) === 13 ? text.slice(at, nl - 1) : text.slice(at, nl));
      at = nl + 1;
    }
    carry = text.slice(at);
    if (done) break;
  }
  if (mode !== "yaml") return fromWhole(repo, whole.join(""), names);
  if (carry !== "") scanner.line(carry);
  if (scanner.unusual) {
    throw new RepoError(
      repo,
      "index.yaml is not in the block style Helm writes (flow style inside entries?)",
    );
  }
  const blocks = scanner.finish();
  const entries = new Map<string, ChartVersion[]>();
  for (const [name, lines] of blocks) {
    let parsed: unknown;
    try {
      parsed = parseGoYaml(lines.join("\n"), "index.yaml");
    } catch (e) {
      throw new RepoError(repo, `index.yaml: entries.${name}: ${(e as Error).message}`, e);
    }
    const map = (parsed ?? {}) as Record<string, unknown>;
    entries.set(name, toVersions(repo, name, map[name]));
  }
  return { apiVersion: scanner.apiVersion, entries };
}
