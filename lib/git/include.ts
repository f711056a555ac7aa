// spec.include: files of other GitRepositories' artifacts copied into this one.
import { byPath, type PlannedFile } from "./artifact.ts";
import { GitError } from "./errors.ts";
import type { IncludeSpec } from "./fetch_types.ts";

/** `files` with each include's files added under its toPath (an include wins on conflicts). */
export async function withIncludes(
  files: PlannedFile[],
  includes: IncludeSpec[],
  url: string,
): Promise<PlannedFile[]> {
  const planned = new Map(files.map((f) => [f.path, f]));
  for (const include of includes) {
    const from = clean(include.fromPath ?? "", "fromPath", url);
    const to = clean(include.toPath, "toPath", url);
    const root = from === "" ? include.artifact.dir : `${include.artifact.dir}/${from}`;
    for (const file of await readTree(root, "", url)) {
      const path = to === "" ? file.path : `${to}/${file.path}`;
      planned.set(path, { ...file, path });
    }
  }
  return [...planned.values()].sort(byPath);
}

function clean(path: string, field: string, url: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new GitError(
      "InvalidSpec",
      `spec.include[].${field}: "${path}" leaves the artifact`,
      url,
    );
  }
  return parts.join("/");
}

async function readTree(dir: string, prefix: string, url: string): Promise<PlannedFile[]> {
  const out: PlannedFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    throw new GitError("InvalidSpec", `spec.include: ${dir} cannot be read`, url, error);
  }
  for (const entry of entries) {
    const path = prefix + entry.name;
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await readTree(full, path + "/", url));
    else if (entry.isSymlink) {
      out.push({
        path,
        mode: "120000",
        content: new TextEncoder().encode(await Deno.readLink(full)),
      });
    } else if (entry.isFile) {
      const stat = await Deno.stat(full);
      const mode = (stat.mode ?? 0) & 0o111 ? "100755" : "100644";
      out.push({ path, mode, content: await Deno.readFile(full) });
    }
  }
  return out;
}
