import assert from "node:assert/strict";
import { CorrectionLimiter } from "../../../agent/drift/mod.ts";

Deno.test("drift corrections are rate limited per Kustomization and refill over time", () => {
  const limiter = new CorrectionLimiter(3, 1_000);
  const t = 1_000_000;
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take("a", t)), [true, true, true, false]);
  assert.equal(limiter.take("b", t), true, "another Kustomization has its own budget");
  assert.equal(limiter.take("a", t + 999), false);
  assert.equal(limiter.take("a", t + 1_000), true);
});
