// The memory bound: resolving charts in a 30 MB index.yaml costs under 60 MB of extra
// resident memory (Flux needs ~300 MiB of Go heap for a 26 MB index).
import assert from "node:assert/strict";
import { writeBigIndex } from "../../../../bench/helm/make_index.ts";

Deno.test("a 30 MB index.yaml is scanned with under 60 MB of extra RSS", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/index.yaml`;
    await writeBigIndex(path);
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../../../bench/helm/index_child.ts", import.meta.url).pathname,
        path,
      ],
    }).output();
    assert.equal(child.code, 0, new TextDecoder().decode(child.stderr));
    const r = JSON.parse(new TextDecoder().decode(child.stdout));
    assert.deepEqual(r.found, { "wanted-a": 5, "wanted-b": 5 });
    const extraMiB = (r.peak - r.baseline) / (1024 * 1024);
    assert.ok(extraMiB < 60, `extra RSS ${extraMiB.toFixed(1)} MiB`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
