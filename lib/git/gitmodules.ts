// `.gitmodules`: the file that names each submodule's path and URL, in git's config syntax:
//
//   [submodule "lib"]            # a section with a quoted subsection (the submodule's name)
//       path = vendor/lib
//       url = ../lib.git         ; values may be quoted, escaped, continued with a backslash
//
// Only what a fetch needs is read (path, url); unknown keys and sections are skipped.
import { GitError } from "./errors.ts";

export interface SubmoduleEntry {
  /** The subsection of `[submodule "<name>"]`. */
  name: string;
  path?: string;
  url?: string;
}

/**
 * The submodules declared in a `.gitmodules` text, in file order. A name declared twice merges
 * (later keys win), as git reads config. `where` names the file in errors.
 */
export function parseGitmodules(text: string, where: string): SubmoduleEntry[] {
  const byName = new Map<string, SubmoduleEntry>();
  let current: SubmoduleEntry | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const lineNo = i + 1;
    // A backslash at the end of a line continues the value on the next one.
    while (line.endsWith("\\") && !line.endsWith("\\\\") && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i];
    }
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    if (trimmed.startsWith("[")) {
      const header = parseHeader(trimmed, where, lineNo);
      if (header.section === "submodule" && header.subsection !== undefined) {
        current = byName.get(header.subsection);
        if (!current) {
          current = { name: header.subsection };
          byName.set(header.subsection, current);
        }
      } else current = undefined;
      continue;
    }
    const eq = trimmed.indexOf("=");
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    if (!/^[a-z][a-z0-9-]*$/.test(key)) {
      throw new GitError(
        "GitOperationFailed",
        `${where}: line ${lineNo}: "${key}" is not a valid key (expected key = value)`,
      );
    }
    if (!current || eq < 0) continue;
    const value = parseValue(trimmed.slice(eq + 1), where, lineNo);
    if (key === "path") current.path = value;
    else if (key === "url") current.url = value;
  }
  return [...byName.values()];
}

/** `[section "subsection"]` or the old `[section.subsection]`; section names ignore case. */
function parseHeader(
  text: string,
  where: string,
  lineNo: number,
): { section: string; subsection?: string } {
  const quoted = /^\[\s*([A-Za-z0-9.-]+)\s+"((?:[^"\\]|\\.)*)"\s*\](.*)$/.exec(text);
  if (quoted && isComment(quoted[3])) {
    return {
      section: quoted[1].toLowerCase(),
      subsection: quoted[2].replace(/\\(.)/g, "$1"),
    };
  }
  const plain = /^\[\s*([A-Za-z0-9-]+)(?:\.([A-Za-z0-9.-]+))?\s*\](.*)$/.exec(text);
  if (plain && isComment(plain[3])) {
    return { section: plain[1].toLowerCase(), subsection: plain[2]?.toLowerCase() };
  }
  throw new GitError(
    "GitOperationFailed",
    `${where}: line ${lineNo}: malformed section header ${text}`,
  );
}

function isComment(rest: string): boolean {
  const t = rest.trim();
  return t === "" || t.startsWith("#") || t.startsWith(";");
}

/** A value: surrounding space dropped, double quotes joined, escapes read, comments cut. */
function parseValue(raw: string, where: string, lineNo: number): string {
  let out = "";
  let quoted = false;
  let pendingSpace = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\") {
      const next = raw[++i];
      const escaped: Record<string, string> = { n: "\n", t: "\t", b: "\b", "\\": "\\", '"': '"' };
      if (next === undefined || !(next in escaped)) {
        throw new GitError(
          "GitOperationFailed",
          `${where}: line ${lineNo}: bad escape "\\${next ?? ""}" in a value`,
        );
      }
      out += pendingSpace + escaped[next];
      pendingSpace = "";
    } else if (c === '"') {
      out += pendingSpace;
      pendingSpace = "";
      quoted = !quoted;
    } else if (!quoted && (c === "#" || c === ";")) {
      break;
    } else if (!quoted && (c === " " || c === "\t")) {
      // Inner unquoted space is kept; leading and trailing space is not.
      if (out !== "") pendingSpace += c;
    } else {
      out += pendingSpace + c;
      pendingSpace = "";
    }
  }
  if (quoted) {
    throw new GitError("GitOperationFailed", `${where}: line ${lineNo}: unterminated quote`);
  }
  return out;
}
