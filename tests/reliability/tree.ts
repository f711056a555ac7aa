// Writes a small file tree for a scenario into a temporary folder, removed afterwards.
import { dirname, join } from "node:path";
import { tempDir } from "../support/process.ts";

export type Tree = Record<string, string | Uint8Array>;

export async function writeTree(root: string, files: Tree): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await Deno.mkdir(dirname(full), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(full, content);
    else await Deno.writeFile(full, content);
  }
}

/** Runs `fn` with a fresh temporary folder holding `files`; the folder is always removed. */
export async function withTree<T>(files: Tree, fn: (dir: string) => Promise<T>): Promise<T> {
  const tmp = await tempDir("skiff-reliability-");
  try {
    await writeTree(tmp.path, files);
    return await fn(tmp.path);
  } finally {
    await tmp.remove();
  }
}

/** A ConfigMap manifest named `name`. */
export function configMap(name: string, data: Record<string, string> = { k: "v" }): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${
    lines.join("\n")
  }\n`;
}
