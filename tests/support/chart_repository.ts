// An HTTP Helm chart repository served from a test (index.yaml + one .tgz per version), built
// from a chart folder whose Chart.yaml version each published version overrides.
import { join } from "node:path";
import { type TarEntry, tgz } from "./tar_writer.ts";

export interface ChartRepository {
  url: string;
  /** Packs the chart folder as `version` and lists it in index.yaml. */
  publish(version: string): Promise<void>;
  stop(): Promise<void>;
}

async function chartEntries(dir: string, chart: string, version: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const walk = async (path: string, rel: string) => {
    for await (const e of Deno.readDir(path)) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(join(path, e.name), name);
      else {
        let data = await Deno.readTextFile(join(path, e.name));
        if (name === "Chart.yaml") data = data.replace(/^version: .*$/m, `version: ${version}`);
        out.push({ name: `${chart}/${name}`, data });
      }
    }
  };
  await walk(dir, "");
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function startChartRepository(chartDir: string, chart: string): ChartRepository {
  const archives = new Map<string, Uint8Array>();
  let index = "";
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/index.yaml") return new Response(index);
    const bytes = archives.get(path.slice(1));
    if (bytes) return new Response(bytes as Uint8Array<ArrayBuffer>);
    return new Response("not found", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    async publish(version) {
      archives.set(
        `${chart}-${version}.tgz`,
        await tgz(await chartEntries(chartDir, chart, version)),
      );
      let entries = "";
      for (const [file, bytes] of archives) {
        const v = file.slice(chart.length + 1, -".tgz".length);
        entries += `  - name: ${chart}\n    version: ${v}\n    apiVersion: v2\n` +
          `    digest: ${await sha256Hex(bytes)}\n    urls:\n      - ${file}\n` +
          `    created: "2026-01-01T00:00:00Z"\n`;
      }
      index =
        `apiVersion: v1\nentries:\n  ${chart}:\n${entries}generated: "2026-01-01T00:00:00Z"\n`;
    },
    stop: () => server.shutdown(),
  };
}
