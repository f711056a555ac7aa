// One entry point for every way a chart arrives: a directory, a .tgz path, or .tgz bytes.
import { loadChartDir } from "./load_dir.ts";
import { loadChartArchive } from "./load_files.ts";
import type { Chart } from "./types.ts";

export async function loadChart(pathOrBytes: string | Uint8Array): Promise<Chart> {
  if (pathOrBytes instanceof Uint8Array) return loadChartArchive(pathOrBytes, "chart archive");
  const info = await Deno.stat(pathOrBytes);
  if (info.isDirectory) return loadChartDir(pathOrBytes);
  return loadChartArchive(await Deno.readFile(pathOrBytes), pathOrBytes);
}
