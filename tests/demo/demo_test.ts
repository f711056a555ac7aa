// `deno task demo` (the README's first command) tells its whole story and exits 0: the first
// sync, a commit synced, a manual edit reverted, a new image committed to Git and rolled out,
// each step's lines in that step.
import assert from "node:assert/strict";

const MAIN = new URL("../../demo/main.ts", import.meta.url).pathname;

Deno.test("the demo shows the sync, the drift correction and the image update, in order", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const detail = `${text}\n${new TextDecoder().decode(out.stderr)}`;
  assert.equal(out.code, 0, detail);
  const steps = text.split(/\n\n(?=\d\. )/);
  const step = (n: number) => steps.find((s) => s.startsWith(`${n}. `)) ?? "";
  assert.match(step(2), /✓ Kustomization payment-production: created .*Deployment production/);
  assert.match(step(3), /✓ staging\/payment-api now has 4 replicas/);
  assert.match(step(3), /✓ Kustomization payment-staging: configured Deployment staging/);
  assert.match(step(4), /✓ drift corrected: production\/payment-api back to 3 replicas/);
  assert.match(step(4), /✓ Kustomization payment-production: configured Deployment production/);
  assert.match(step(5), /pushed commit '[0-9a-f]{7}' to branch 'main'/);
  assert.match(step(5), /✓ production\/payment-api runs \S+:1\.1\.0/);
  assert.match(step(5), /✓ Kustomization payment-production: configured Deployment production/);
  // Nothing from an earlier step spills into the status table.
  assert.doesNotMatch(step(6), /✓/);
  assert.match(step(6), /ImageUpdateAutomation\/flux-system\s+True/);
  assert.match(text, /Done\./);
  console.log(`demo ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
