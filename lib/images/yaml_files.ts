// The files setters look at: under the update path, `*.yaml`, `*.yml` and Kustomize's
// `Kustomization`, in lexical walk order (so change records come out in a stable order).
import { SetterError } from "./setter_error.ts";

// Flux reads `*.yaml`, `*.yml` and Kustomize's `Kustomization` file.
function isCandidate(name: string): boolean {
  return name.endsWith(".yaml") || name.endsWith(".yml") || name === "Kustomization";
}

/**
 * Candidate files under root/base, relative to root, in lexical walk order. Symbolic links are
 * not followed (a link may point outside the checkout, or nowhere), nor is `.git`.
 */
export async function yamlFiles(root: string, base: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(rel === "" ? root : `${root}/${rel}`)) entries.push(e);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isSymlink) continue;
      if (e.isDirectory) {
        if (e.name !== ".git") await walk(child);
      } else if (e.isFile && isCandidate(e.name)) {
        out.push(child);
      }
    }
  };
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(base === "" ? root : `${root}/${base}`);
  } catch (e) {
    throw new SetterError(
      `update path ${JSON.stringify(base || ".")} does not exist in the checkout`,
      e as Error,
    );
  }
  if (info.isFile) return isCandidate(base.slice(base.lastIndexOf("/") + 1)) ? [base] : [];
  await walk(base);
  return out;
}

/** `./apps/` → `apps`; refuses paths that leave the checkout. */
export function normaliseSubPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) {
        throw new SetterError(`update path ${JSON.stringify(path)} points outside the checkout`);
      }
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join("/");
}
