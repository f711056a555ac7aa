// `skiff push artifact`: usage errors exit 2 with a message, a registry refusal exits 1.
import assert from "node:assert/strict";
import { main } from "../../../main.ts";
import { freePort, tempDir } from "../../support/process.ts";

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    const code = await main(["push", "artifact", ...args]);
    return { code, stderr: lines.join("\n") };
  } finally {
    console.error = original;
  }
}

const required = ["--source", "https://git.example.com/fleet", "--revision", "main@sha1:abc"];

Deno.test("push artifact refuses a path that is not a directory and a URL without a tag", async () => {
  const dir = await tempDir("skiff-push-cli-");
  try {
    const missing = await run([
      "oci://127.0.0.1:1/app:v1",
      "--path",
      `${dir.path}/nope`,
      ...required,
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--path .*nope: not a directory/);

    const untagged = await run(["oci://127.0.0.1:1/app", "--path", dir.path, ...required]);
    assert.equal(untagged.code, 2);
    assert.match(untagged.stderr, /expected oci:\/\/host\/repository:tag/);
  } finally {
    await dir.remove();
  }
});

Deno.test("push artifact exits 1 naming the registry when it cannot be reached", async () => {
  const dir = await tempDir("skiff-push-cli-");
  try {
    await Deno.writeTextFile(`${dir.path}/a.yaml`, "a: 1\n");
    const port = freePort(); // nothing listens there
    const result = await run([
      `oci://127.0.0.1:${port}/app:v1`,
      "--path",
      dir.path,
      "--insecure-registry",
      ...required,
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}`));
  } finally {
    await dir.remove();
  }
});
