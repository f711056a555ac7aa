// spec.ignore and `.sourceignore` files applied to an artifact's files, with the same rules and
// order as Git artifacts (lib/git): VCS metadata always, Flux's default exclusions unless
// spec.ignore is set, each `.sourceignore` below its directory, spec.ignore last.
import { DEFAULT_PATTERNS, isIgnored, parsePatterns, VCS_PATTERNS } from "../git/mod.ts";

export interface ArtifactFile {
  /** "/"-separated path relative to the artifact root (no leading "./"). */
  name: string;
  data: Uint8Array;
  mode?: number;
}

/** The files kept, in their original order. */
export function keptFiles(files: ArtifactFile[], specIgnore: string | undefined): ArtifactFile[] {
  const decoder = new TextDecoder();
  const sourceIgnores = files.filter((f) => isSourceIgnore(f.name))
    .map((f) => ({ name: f.name, text: decoder.decode(f.data) }));
  const kept = keepRule(sourceIgnores, specIgnore);
  return files.filter((f) => kept(f.name));
}

/** Whether `name` is a `.sourceignore` file, whose patterns apply below its directory. */
export function isSourceIgnore(name: string): boolean {
  return name === ".sourceignore" || name.endsWith("/.sourceignore");
}

/**
 * The rule deciding each file by its name, from the artifact's `.sourceignore` files (in their
 * order in the artifact) and spec.ignore. Every name can be decided on its own once these are
 * known, which is what lets a streamed layer be filtered file by file.
 */
export function keepRule(
  sourceIgnores: { name: string; text: string }[],
  specIgnore: string | undefined,
): (name: string) => boolean {
  const patterns = parsePatterns(VCS_PATTERNS.join("\n"));
  if (specIgnore === undefined) patterns.push(...parsePatterns(DEFAULT_PATTERNS.join("\n")));
  for (const f of sourceIgnores) {
    const dir = f.name.includes("/") ? f.name.slice(0, f.name.lastIndexOf("/")) : "";
    patterns.push(...parsePatterns(f.text, dir));
  }
  if (specIgnore !== undefined) patterns.push(...parsePatterns(specIgnore));

  // A directory that is ignored hides everything below it (as in git): check each parent once.
  const dirIgnored = new Map<string, boolean>();
  const ignoredDir = (dir: string): boolean => {
    if (dir === "") return false;
    const known = dirIgnored.get(dir);
    if (known !== undefined) return known;
    const slash = dir.lastIndexOf("/");
    const answer = ignoredDir(slash < 0 ? "" : dir.slice(0, slash)) ||
      isIgnored(patterns, dir, true);
    dirIgnored.set(dir, answer);
    return answer;
  };
  return (name) => {
    const slash = name.lastIndexOf("/");
    const parent = slash < 0 ? "" : name.slice(0, slash);
    return !ignoredDir(parent) && !isIgnored(patterns, name, false);
  };
}
