import assert from "node:assert/strict";
import { loadConfigText } from "../../../agent/config/mod.ts";
import { ownedByShard } from "../../../agent/selection.ts";

const config = loadConfigText(
  `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: plain}
spec: {interval: 1m, url: "https://example.com/a.git"}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: sharded, labels: {sharding.fluxcd.io/key: shard1}}
spec: {interval: 1m, url: "https://example.com/b.git"}
`,
  "shards.yaml",
);

Deno.test("an agent without a shard owns the unlabelled objects; a shard owns its own", () => {
  const owned = (shard?: string) =>
    config.objects.filter((o) => ownedByShard(o, shard)).map((o) => o.metadata.name);
  assert.deepEqual(owned(undefined), ["plain"]);
  assert.deepEqual(owned("shard1"), ["sharded"]);
  assert.deepEqual(owned("shard2"), []);
});
