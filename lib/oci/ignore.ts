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
  const patterns = parsePatterns(VCS_PATTERNS.join("\n"));
  if (specIgnore === undefined) patterns.push(...parsePatterns(DEFAULT_PATTERNS.join("\n")));
  const decoder = new TextDecoder();
  for (const f of files) {
    if (f.name === ".sourceignore" || f.name.endsWith("/.sourceignore")) {
      const dir = f.name.includes("/") ? f.name.slice(0, f.name.lastIndexOf("/")) : "";
      patterns.push(...parsePatterns(decoder.decode(f.data), dir));
    }
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
  return files.filter((f) => {
    const slash = f.name.lastIndexOf("/");
    const parent = slash < 0 ? "" : f.name.slice(0, slash);
    return !ignoredDir(parent) && !isIgnored(patterns, f.name, false);
  });
}
