// The `sops` section: time normalisation for the MAC, rule validation, key groups, and the
// text-only values of flattened (dotenv/INI) metadata.
import assert from "node:assert/strict";
import { SopsError } from "../../../lib/sops/mod.ts";
import { goRfc3339, parseMetadata } from "../../../lib/sops/metadata.ts";

const age = [{ recipient: "age1x", enc: "e" }];

Deno.test("lastmodified is re-printed as Go's RFC3339 (no fraction, Z for UTC)", () => {
  assert.equal(goRfc3339("2019-12-10T22:45:52Z"), "2019-12-10T22:45:52Z");
  assert.equal(goRfc3339("2019-12-10T22:45:52.123456+00:00"), "2019-12-10T22:45:52Z");
  assert.equal(goRfc3339("2019-12-10T22:45:52-07:00"), "2019-12-10T22:45:52-07:00");
  assert.equal(goRfc3339("2019-12-10 22:45:52"), undefined);
});

Deno.test("the unencrypted suffix is the default rule", () => {
  const m = parseMetadata({ lastmodified: "2020-01-01T00:00:00Z", mac: "m", age }, "f");
  assert.deepEqual(m.rules, { unencryptedSuffix: "_unencrypted" });
  assert.equal(m.macOnlyEncrypted, false);
});

Deno.test("two encryption rules at once are refused, naming the fields", () => {
  assert.throws(
    () =>
      parseMetadata({
        lastmodified: "2020-01-01T00:00:00Z",
        age,
        encrypted_regex: "^data$",
        unencrypted_suffix: "_u",
      }, "s.yaml"),
    (e: unknown) => {
      assert.ok(e instanceof SopsError);
      assert.equal(e.reason, "metadata");
      assert.match(
        e.message,
        /^s\.yaml: sops metadata: only one of unencrypted_suffix, .*may be set/,
      );
      return true;
    },
  );
});

Deno.test("metadata without lastmodified or keys is refused", () => {
  assert.throws(() => parseMetadata({ age }, "f"), /lastmodified is missing/);
  assert.throws(
    () => parseMetadata({ lastmodified: "2020-01-01T00:00:00Z" }, "f"),
    /no master keys/,
  );
});

Deno.test("flattened metadata values are text: mac_only_encrypted and shamir_threshold", () => {
  const m = parseMetadata({
    lastmodified: "2020-01-01T00:00:00Z",
    key_groups: [{ age }],
    mac_only_encrypted: "true",
    shamir_threshold: "1",
  }, "f.env");
  assert.equal(m.macOnlyEncrypted, true);
  assert.equal(m.shamirThreshold, 1);
  assert.equal(m.keyGroups.length, 1);
  assert.deepEqual(m.keyGroups[0].age, age);
});
