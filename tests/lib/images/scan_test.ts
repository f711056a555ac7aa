// ImageRepository scanning against the real docker-registry.
import assert from "node:assert/strict";
import { scanImageRepository } from "../../../lib/images/mod.ts";
import { pushImage, startRegistry } from "../../support/registry.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "scanning an ImageRepository drops .sig tags by default and reports the status",
  opts,
  async () => {
    const registry = await startRegistry();
    try {
      await pushImage(registry, "apps/api", ["1.0.0", "sha256-abc.sig", "1.1.0", "nightly"]);
      const now = new Date("2026-01-02T03:04:05Z");
      const result = await scanImageRepository(
        { image: `${registry.host}/apps/api`, insecure: true },
        { now: () => now },
      );
      assert.deepEqual(result.tags.sort(), ["1.0.0", "1.1.0", "nightly"]);
      assert.equal(result.tagCount, 3);
      assert.equal(result.canonicalImageName, `${registry.host}/apps/api`);
      assert.equal(result.lastScanTime, now);
      const custom = await scanImageRepository(
        { image: `${registry.host}/apps/api`, insecure: true, exclusionList: ["^nightly$"] },
      );
      assert.deepEqual(custom.tags.sort(), ["1.0.0", "1.1.0", "sha256-abc.sig"]);
      await assert.rejects(
        scanImageRepository({ image: `${registry.host}/apps/api`, exclusionList: ["ok", "(?=x)"] }),
        /spec.exclusionList\[1\]/,
      );
    } finally {
      await registry.stop();
    }
  },
);
