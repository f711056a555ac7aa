import assert from "node:assert/strict";
import { readTgz, writeTar, writeTgz } from "../../../lib/archive/mod.ts";

const enc = new TextEncoder();

Deno.test("written archives read back with names, contents and modes", async () => {
  const long = `${"deep/".repeat(30)}file.yaml`;
  const files = [
    { name: "a.yaml", data: enc.encode("a: 1\n") },
    { name: "bin/run.sh", data: enc.encode("#!/bin/sh\n"), mode: 0o755 },
    { name: long, data: enc.encode("long") },
    { name: "empty", data: new Uint8Array() },
  ];
  const entries = await readTgz(await writeTgz(files), "test");
  assert.deepEqual(entries.map((e) => e.name), files.map((f) => f.name));
  assert.deepEqual(entries.map((e) => new TextDecoder().decode(e.data)), [
    "a: 1\n",
    "#!/bin/sh\n",
    "long",
    "",
  ]);
  assert.equal(entries[1].mode, 0o755);
  assert.equal(entries[0].mode, 0o644);
});

Deno.test("the same files always make the same bytes", async () => {
  const files = [{ name: "x", data: enc.encode("x") }];
  assert.deepEqual(writeTar(files), writeTar(files));
  assert.deepEqual(await writeTgz(files), await writeTgz(files));
});

Deno.test("GNU tar reads what the writer wrote", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(
      `${dir}/a.tgz`,
      await writeTgz([{ name: `${"n".repeat(120)}/f.txt`, data: enc.encode("ok") }]),
    );
    const out = await new Deno.Command("tar", { args: ["-xzf", "a.tgz"], cwd: dir }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(await Deno.readTextFile(`${dir}/${"n".repeat(120)}/f.txt`), "ok");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
