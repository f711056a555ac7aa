import assert from "node:assert/strict";
import { type KubeObject, renderDiff, SECRET_MASK, unifiedDiff } from "../../../lib/kube/mod.ts";
import { diffLines } from "../../../lib/kube/diff/mod.ts";

Deno.test("unified diff with context and hunk headers as diff -u prints them", async () => {
  const cases = [
    ["abcdefghij", "abcDefghijk"], // changes 6 lines apart share one hunk
    ["abcdefghijkl", "abcDefghijklm"], // 7 lines apart: two hunks
    ["abc", ""],
    ["", "xy"],
  ];
  const dir = await Deno.makeTempDir();
  try {
    for (const [from, to] of cases) {
      const before = [...from].map((c) => c + "\n").join("");
      const after = [...to].map((c) => c + "\n").join("");
      await Deno.writeTextFile(`${dir}/a`, before);
      await Deno.writeTextFile(`${dir}/b`, after);
      const out = await new Deno.Command("diff", {
        args: ["-u", "a", "b"],
        cwd: dir,
        stdout: "piped",
      }).output();
      const expected = new TextDecoder().decode(out.stdout).split("\n").slice(2).join("\n");
      const actual = unifiedDiff(before, after, { from: "a", to: "b" }).split("\n").slice(2).join(
        "\n",
      );
      assert.equal(actual, expected, `${from} -> ${to}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(unifiedDiff("same\n", "same\n", { from: "a", to: "b" }), "");
});

Deno.test("the edit script is minimal and rebuilds both sides", () => {
  // Myers' classic example: 5 edits is the minimum; ties may be broken differently from GNU diff.
  const a = [..."abcabba"], b = [..."cbabac"];
  const edits = diffLines(a, b);
  assert.deepEqual(edits.filter((e) => e.op !== "+").map((e) => e.line), a);
  assert.deepEqual(edits.filter((e) => e.op !== "-").map((e) => e.line), b);
  assert.equal(edits.filter((e) => e.op !== "=").length, 5);
});

Deno.test("object diffs leave out server fields and show the changed lines", () => {
  const live: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "cfg",
      namespace: "apps",
      resourceVersion: "7",
      uid: "u",
      managedFields: [{ manager: "skiff" }],
    },
    data: { color: "blue", size: "L" },
  };
  const desired: KubeObject = {
    ...live,
    metadata: { name: "cfg", namespace: "apps" },
    data: { color: "red", size: "L" },
  };
  const diff = renderDiff(live, desired);
  assert.match(diff, /^--- live\/ConfigMap\/apps\/cfg\n\+\+\+ desired\/ConfigMap\/apps\/cfg\n/);
  assert.match(diff, /\n- {2}color: blue\n\+ {2}color: red\n/);
  assert.doesNotMatch(diff, /resourceVersion|managedFields|uid/);
  assert.equal(renderDiff(live, { ...live }), "");
  assert.match(renderDiff(undefined, desired), /^--- \/dev\/null\n/);
});

Deno.test("Secret values never appear in a diff; changed keys are still visible", () => {
  const secret = (
    data: Record<string, string>,
    stringData?: Record<string, string>,
  ): KubeObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "db",
      namespace: "apps",
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"password":"aHVudGVyMg=="}}',
      },
    },
    data,
    ...(stringData ? { stringData } : {}),
  });
  const diff = renderDiff(
    secret({ password: "aHVudGVyMg==", user: "YWRtaW4=" }),
    secret({ password: "c3dvcmRmaXNo", user: "YWRtaW4=", token: "dG9rZW4=" }, {
      extra: "plain-text-value",
    }),
  );
  for (
    const value of ["aHVudGVyMg==", "c3dvcmRmaXNo", "YWRtaW4=", "dG9rZW4=", "plain-text-value"]
  ) {
    assert.ok(!diff.includes(value), `diff leaks ${value}:\n${diff}`);
  }
  assert.match(diff, /- {2}password: <masked, old value>\n\+ {2}password: <masked, new value>/);
  assert.match(diff, /\+ {2}token: <masked, new value>/);
  assert.ok(diff.includes(`user: ${SECRET_MASK}`));
});
