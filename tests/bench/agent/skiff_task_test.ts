// The idle-memory benchmark starts `skiff run` the way `deno task skiff` does: it reads the task
// from deno.json, so the task must stay in the shape it understands and keep its memory flags.
import assert from "node:assert/strict";
import { skiffTaskCommand } from "../../../bench/agent/skiff_task.ts";

Deno.test("the skiff task is read as environment, deno arguments and an absolute main.ts", async () => {
  const task = await skiffTaskCommand();
  assert.equal(task.args[0], "run");
  assert.match(task.args.at(-1)!, /^\/.*\/main\.ts$/);
  for (const [name, value] of Object.entries(task.env)) {
    assert.ok(
      task.text.startsWith(`${name}=${value} `) || task.text.includes(` ${name}=${value} `),
    );
  }
});

Deno.test("the skiff task keeps the runtime settings that hold idle memory under 80 MB", async () => {
  const task = await skiffTaskCommand();
  assert.equal(task.env.MALLOC_ARENA_MAX, "1");
  assert.ok(task.args.includes("--unstable-lazy-dynamic-imports"), task.text);
  assert.ok(task.args.includes("--no-code-cache"), task.text);
  const v8 = task.args.find((a) => a.startsWith("--v8-flags="))?.slice("--v8-flags=".length);
  assert.deepEqual(v8?.split(",").sort(), ["--max-semi-space-size=1", "--no-turbofan"]);
});

Deno.test("the compiled binary and the container image get the same runtime settings", async () => {
  const root = new URL("../../../", import.meta.url);
  const task = await skiffTaskCommand();
  const v8 = task.args.find((a) => a.startsWith("--v8-flags="))!;
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
    tasks: Record<string, string>;
  };
  const dockerfile = await Deno.readTextFile(new URL("Dockerfile", root));
  for (
    const [where, text] of [["tasks.compile", config.tasks.compile], ["Dockerfile", dockerfile]]
  ) {
    assert.ok(text.includes(v8), `${where} compiles with ${v8}`);
    assert.ok(text.includes("--no-code-cache"), `${where} compiles with --no-code-cache`);
  }
  assert.match(dockerfile, /^ENV .*\bMALLOC_ARENA_MAX=1\b/m);
});
