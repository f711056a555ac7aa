// `skiff validate` as a user runs it: a subprocess, its exit code, stdout and stderr.
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";

const root = new URL("../../../", import.meta.url).pathname;

async function skiff(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "main.ts", ...args],
    cwd: root,
    env: { NO_COLOR: "" },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("a valid config exits 0 and lists its objects", async () => {
  const r = await skiff("validate", "--config", "tests/fixtures/config/seed.yaml");
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^KIND\s+NAMESPACE\s+NAME\s+FROM$/);
  assert.match(
    lines[1],
    /^GitRepository\s+flux-system\s+payment-service\s+document 1, source\.toolkit\.fluxcd\.io\/v1$/,
  );
  assert.equal(lines.at(-1), "valid: tests/fixtures/config/seed.yaml (6 objects)");
  assert.ok(!r.stdout.includes("\x1b["), "no colour when stdout is not a terminal");
});

Deno.test("an invalid config exits 1 and lists every problem on stderr", async () => {
  const r = await skiff("validate", "--config", "tests/fixtures/config/bad/many-problems.yaml");
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const expected = Deno.readTextFileSync(
    `${root}tests/fixtures/config/bad/many-problems.expected.txt`,
  ).trimEnd().replaceAll("many-problems.yaml:", "tests/fixtures/config/bad/many-problems.yaml:");
  const problemLines = expected.split("\n").map((l) => l.startsWith(" ") ? l : `error: ${l}`);
  assert.equal(
    r.stderr,
    [...problemLines, "tests/fixtures/config/bad/many-problems.yaml is invalid: 6 problems"]
      .join("\n") + "\n",
  );
  assert.ok(!r.stderr.includes("    at "), "no stack trace");
});

Deno.test("a missing file exits 2 and says the file is missing", async () => {
  const r = await skiff("validate", "--config", "missing.yaml");
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "error: config file missing.yaml does not exist\n");
});

Deno.test("a directory instead of a file exits 2", async () => {
  const r = await skiff("validate", "--config", "tests/fixtures/config");
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "error: config file tests/fixtures/config is a directory\n");
});

Deno.test("-o json prints the loaded, defaulted objects", async () => {
  const r = await skiff("validate", "--config", "tests/fixtures/config/seed.yaml", "-o", "json");
  assert.equal(r.code, 0);
  const data = JSON.parse(r.stdout);
  assert.equal(data.valid, true);
  assert.equal(data.objects.length, 7);
  assert.deepEqual(data.objects[0].kind, "Agent");
  assert.equal(data.objects[0].spec.concurrency, 4);
  const ks = data.objects.find((o: { kind: string }) => o.kind === "Kustomization");
  assert.equal(ks.spec.timeout, "5m");
  assert.equal(ks.origin, undefined, "the data is the objects, not loader internals");
});

Deno.test("-o yaml prints the problem list as data and exits 1", async () => {
  const r = await skiff(
    "validate",
    "--config",
    "tests/fixtures/config/bad/sourceref-not-defined.yaml",
    "-o",
    "yaml",
  );
  assert.equal(r.code, 1);
  assert.deepEqual(parseYaml(r.stdout), {
    file: "tests/fixtures/config/bad/sourceref-not-defined.yaml",
    valid: false,
    problems: [{
      file: "tests/fixtures/config/bad/sourceref-not-defined.yaml",
      document: 4,
      kind: "Kustomization",
      namespace: "flux-system",
      name: "apps",
      path: "spec.sourceRef",
      message:
        'GitRepository "fleet" is not defined\n  (defined: GitRepository "fleet-infra"; did you mean that?)',
    }],
  });
});

Deno.test("an unknown output format is a usage error (exit 2)", async () => {
  const r = await skiff("validate", "--config", "tests/fixtures/config/seed.yaml", "-o", "xml");
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error: unknown output format "xml": expected json or yaml\n');
});
