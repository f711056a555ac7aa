// A recursive copy of a directory (Deno has no built-in one): the build works on a copy of the
// artifact so the generated overlay never touches the shared artifact directory.
import { join } from "node:path";

export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) await copyTree(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
    // Symlinks are not followed: an artifact never needs them and they could leave the root.
  }
}
