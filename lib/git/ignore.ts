// gitignore syntax for `spec.ignore` and `.sourceignore` files, as Flux applies them: patterns
// are read in order and the last one that matches a path decides (a `!` pattern re-includes);
// a pattern from `dir/.sourceignore` only applies below `dir`. A directory that is ignored is
// not entered, so nothing below it can be re-included (as in git).

/** Always excluded: version control metadata. */
export const VCS_PATTERNS = [".git/", ".gitignore", ".gitmodules", ".gitattributes"];

/** Flux's default exclusions, used when `spec.ignore` is not set. */
export const DEFAULT_PATTERNS = [
  "*.jpg",
  "*.jpeg",
  "*.gif",
  "*.png",
  "*.wmv",
  "*.flv",
  "*.tar.gz",
  "*.zip",
  ".github/",
  ".circleci/",
  ".travis.yml",
  ".gitlab-ci.yml",
  "appveyor.yml",
  ".drone.yml",
  "cloudbuild.yaml",
  "codeship-services.yml",
  "codeship-steps.yml",
  "**/.goreleaser.yml",
  "**/.sops.yaml",
  "**/.flux.yaml",
];

export interface IgnorePattern {
  /** Directory (relative, no trailing slash, "" for the root) the pattern applies below. */
  domain: string;
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
  /** Matches the whole path relative to the domain (else only the last segment). */
  anchored: boolean;
  source: string;
}

/** Reads patterns from gitignore-format text (one per line, `#` comments). */
export function parsePatterns(text: string, domain = ""): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const pattern = compile(rawLine, domain);
    if (pattern) out.push(pattern);
  }
  return out;
}

function compile(rawLine: string, domain: string): IgnorePattern | undefined {
  // Trailing spaces are dropped unless escaped with a backslash.
  let line = rawLine.replace(/(?<!\\)\s+$/, "");
  if (line === "" || line.startsWith("#")) return undefined;
  let negate = false;
  if (line.startsWith("!")) {
    negate = true;
    line = line.slice(1);
  } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith("/")) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  if (line === "") return undefined;
  const anchored = line.includes("/");
  if (line.startsWith("/")) line = line.slice(1);
  return {
    domain,
    negate,
    dirOnly,
    anchored,
    regex: new RegExp(`^${globToRegex(line)}$`),
    source: rawLine,
  };
}

function globToRegex(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      const atStart = i === 0 || glob[i - 1] === "/";
      const slashAfter = glob[i + 2] === "/";
      const atEnd = i + 2 === glob.length;
      if (atStart && slashAfter) {
        out += "(?:.*/)?"; // "**/" : any number of leading directories
        i += 3;
        continue;
      }
      if (atStart && atEnd) {
        out += ".*"; // "/**" : everything inside
        i += 2;
        continue;
      }
      out += "[^/]*";
      i += 2;
      continue;
    }
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) out += "\\[";
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith("!")) body = "^" + body.slice(1);
        out += `[${body.replace(/\\/g, "\\\\")}]`;
        i = close + 1;
        continue;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1]);
      i += 2;
      continue;
    } else out += escapeRegex(c);
    i++;
  }
  return out;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Whether `path` (relative to the artifact root, "/"-separated) is ignored. */
export function isIgnored(patterns: IgnorePattern[], path: string, isDir: boolean): boolean {
  let ignored = false;
  const base = path.slice(path.lastIndexOf("/") + 1);
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    let relative = path;
    if (p.domain !== "") {
      if (!path.startsWith(p.domain + "/")) continue;
      relative = path.slice(p.domain.length + 1);
    }
    if (p.regex.test(p.anchored ? relative : base)) ignored = !p.negate;
  }
  return ignored;
}

/** The pattern list Flux builds: VCS, then defaults or `spec.ignore` (spec.ignore last). */
export function artifactPatterns(
  specIgnore: string | undefined,
  sourceIgnoreFiles: { dir: string; text: string }[],
): IgnorePattern[] {
  const patterns = parsePatterns(VCS_PATTERNS.join("\n"));
  if (specIgnore === undefined) patterns.push(...parsePatterns(DEFAULT_PATTERNS.join("\n")));
  for (const file of sourceIgnoreFiles) patterns.push(...parsePatterns(file.text, file.dir));
  if (specIgnore !== undefined) patterns.push(...parsePatterns(specIgnore));
  return patterns;
}
