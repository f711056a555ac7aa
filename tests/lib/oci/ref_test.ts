import assert from "node:assert/strict";
import { OciError, resolveRef, revisionOf } from "../../../lib/oci/mod.ts";

const tags = ["latest", "v1.0.0", "1.2.0", "1.3.0-rc.1", "2.0.0", "not-a-version"];
const listing = (list: string[]) => {
  let calls = 0;
  return {
    list: () => {
      calls++;
      return Promise.resolve(list);
    },
    calls: () => calls,
  };
};

Deno.test("nothing set pulls the tag latest without listing tags", async () => {
  const l = listing(tags);
  assert.deepEqual(await resolveRef(undefined, l.list, "oci://r/x"), {
    reference: "latest",
    tag: "latest",
  });
  assert.deepEqual(await resolveRef({}, l.list, "oci://r/x"), {
    reference: "latest",
    tag: "latest",
  });
  assert.equal(l.calls(), 0);
});

Deno.test("a digest wins over semver and tag", async () => {
  const digest = `sha256:${"a".repeat(64)}`;
  const l = listing(tags);
  const resolved = await resolveRef({ digest, semver: ">=1", tag: "v1.0.0" }, l.list, "x");
  assert.deepEqual(resolved, { reference: digest });
  assert.equal(l.calls(), 0);
});

Deno.test("semver picks the highest matching tag and wins over tag", async () => {
  const l = listing(tags);
  assert.deepEqual(await resolveRef({ semver: "^1.0", tag: "latest" }, l.list, "x"), {
    reference: "1.2.0",
    tag: "1.2.0",
  });
  assert.equal((await resolveRef({ semver: ">=1.0.0" }, l.list, "x")).tag, "2.0.0");
  assert.equal((await resolveRef({ semver: "<1.1" }, l.list, "x")).tag, "v1.0.0");
});

Deno.test("semverFilter narrows the tags before the range applies", async () => {
  const l = listing(tags);
  const resolved = await resolveRef({ semver: ">=1.0.0-0", semverFilter: ".*-rc.*" }, l.list, "x");
  assert.equal(resolved.tag, "1.3.0-rc.1");
});

Deno.test("no matching tag is an OciError naming the range", async () => {
  await assert.rejects(
    resolveRef({ semver: ">=3" }, listing(tags).list, "oci://r/app"),
    (e) =>
      e instanceof OciError && e.reason === "NoMatchingTag" &&
      e.message.includes("oci://r/app") && e.message.includes("'>=3'"),
  );
});

Deno.test("the revision is <tag>@<digest>, or the digest alone", () => {
  const d = `sha256:${"b".repeat(64)}`;
  assert.equal(revisionOf({ reference: "v1", tag: "v1" }, d), `v1@${d}`);
  assert.equal(revisionOf({ reference: d }, d), d);
});
