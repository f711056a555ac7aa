// Copies the part of ../shared/k8s the emulator serves into this folder, so the emulator and the
// demo need nothing outside the repository. Run from anywhere:
//   deno run -A tests/apiserver/data/vendor.ts          (rewrite the files)
//   deno run -A tests/apiserver/data/vendor.ts --check  (exit 1 when they differ from ../shared)
// Only GA group-versions are kept: a default 1.34 cluster serves no alpha and few betas, and the
// catalog serves GA only. Upstream gzip files are copied byte for byte; merge-keys.json is
// gzipped here (600 KB of JSON, 28 KB compressed).
import { gunzipSync, gzipSync } from "node:zlib";

const here = new URL("./", import.meta.url).pathname;
const shared = new URL("../../../../shared/k8s/", import.meta.url).pathname;
const V3 = "openapi-v3-v1.34/";

interface ResourceEntry {
  group: string;
  version: string;
  stability: string;
}

interface V3Index {
  paths: Record<string, unknown>;
  files: Record<string, { file: string }>;
}

/** Every vendored file: its name here and its bytes. */
export function vendoredFiles(): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const copy = (name: string) => out.set(name, Deno.readFileSync(`${shared}${name}`));
  const json = (name: string, value: unknown) =>
    out.set(name, new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n"));

  const resources = JSON.parse(Deno.readTextFileSync(`${shared}resources.json`)) as ResourceEntry[];
  const ga = resources.filter((e) => e.stability === "ga");
  json("resources.json", ga);

  const index = JSON.parse(Deno.readTextFileSync(`${shared}${V3}index.json`)) as V3Index;
  const gvPaths = new Set(
    ga.map((e) => e.group ? `apis/${e.group}/${e.version}` : `api/${e.version}`),
  );
  const kept: V3Index = { paths: {}, files: {} };
  for (const p of [...gvPaths].sort()) {
    const file = index.files[p];
    if (!file) throw new Error(`${shared}${V3}index.json has no document for ${p}`);
    kept.paths[p] = index.paths[p];
    kept.files[p] = file;
    copy(`${V3}${file.file}`);
  }
  json(`${V3}index.json`, kept);

  copy("swagger-v1.34.json.gz");
  copy("LICENSE-kubernetes");
  out.set(
    "merge-keys.json.gz",
    gzipSync(Deno.readFileSync(`${shared}merge-keys.json`), { level: 9 }),
  );
  return out;
}

/** gzip output may differ between zlib builds; what matters is the content. */
export function sameContent(name: string, a: Uint8Array, b: Uint8Array): boolean {
  const [x, y] = name === "merge-keys.json.gz" ? [gunzipSync(a), gunzipSync(b)] : [a, b];
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

async function main(): Promise<void> {
  const check = Deno.args.includes("--check");
  try {
    await Deno.stat(shared);
  } catch {
    console.error(`${shared} is absent: nothing to vendor from`);
    Deno.exit(2);
  }
  const stale: string[] = [];
  for (const [name, bytes] of vendoredFiles()) {
    const path = `${here}${name}`;
    let current: Uint8Array | undefined;
    try {
      current = await Deno.readFile(path);
    } catch {
      current = undefined;
    }
    if (current && sameContent(name, current, bytes)) continue;
    stale.push(name);
    if (!check) {
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(path, bytes);
    }
  }
  if (check && stale.length > 0) {
    console.error(`out of date with ${shared}: ${stale.join(", ")}`);
    Deno.exit(1);
  }
  console.log(stale.length === 0 ? "up to date" : `wrote ${stale.join(", ")}`);
}

if (import.meta.main) await main();
