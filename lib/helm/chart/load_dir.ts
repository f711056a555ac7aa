// Loads a chart directory (Helm's loader.LoadDir): .helmignore applies, symlinks are followed,
// anything that is not a regular file is refused.
import { DEFAULT_ARCHIVE_LIMITS } from "../archive/mod.ts";
import { ChartLoadError } from "./errors.ts";
import { IgnoreRules } from "./helmignore.ts";
import { loadChartFiles, trimBom } from "./load_files.ts";
import type { Chart, ChartFile } from "./types.ts";

export async function loadChartDir(dir: string): Promise<Chart> {
  const root = dir.replace(/\/+$/, "");
  const rules = IgnoreRules.withDefaults();
  try {
    rules.parse(await Deno.readTextFile(`${root}/.helmignore`), `${root}/.helmignore`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const files: ChartFile[] = [];
  let total = 0;
  // Symlinks are followed; a link back up the tree must not send the walk round in circles.
  const visiting = new Set<string>();
  const walk = async (abs: string, rel: string): Promise<void> => {
    const real = await Deno.realPath(abs);
    if (visiting.has(real)) throw new ChartLoadError(root, `symlink loop at ${rel || "."}`);
    visiting.add(real);
    const names: string[] = [];
    for await (const entry of Deno.readDir(abs)) names.push(entry.name);
    names.sort();
    for (const name of names) {
      const absChild = `${abs}/${name}`;
      const relChild = rel ? `${rel}/${name}` : name;
      const info = await Deno.stat(absChild); // follows symlinks, as Helm's sympath.Walk does
      if (info.isDirectory) {
        if (rules.ignores(relChild, true)) continue;
        await walk(absChild, relChild);
        continue;
      }
      if (rules.ignores(relChild, false)) continue;
      if (!info.isFile) {
        throw new ChartLoadError(root, `cannot load irregular file ${relChild}`);
      }
      if (info.size > DEFAULT_ARCHIVE_LIMITS.maxFileBytes) {
        throw new ChartLoadError(
          root,
          `file ${relChild} is ${info.size} bytes, larger than the limit of ${DEFAULT_ARCHIVE_LIMITS.maxFileBytes}`,
        );
      }
      total += info.size;
      if (total > DEFAULT_ARCHIVE_LIMITS.maxTotalBytes) {
        throw new ChartLoadError(
          root,
          `chart is larger than ${DEFAULT_ARCHIVE_LIMITS.maxTotalBytes} bytes`,
        );
      }
      files.push({ name: relChild, data: trimBom(await Deno.readFile(absChild)) });
    }
    visiting.delete(real);
  };
  await walk(root, "");
  return loadChartFiles(files, root);
}
