// The `skiff images` story: a registry with new tags, policies choosing among them, and a
// checkout whose marked fields would change — printed, nothing written.
import assert from "node:assert/strict";
import { formatImagesReport, imagesDryRun } from "../../../lib/images/mod.ts";
import { pushImage, startRegistry } from "../../support/registry.ts";
import { tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "a dry run reports each policy's latest image and the fields an automation would change",
  opts,
  async () => {
    const registry = await startRegistry({ auth: "htpasswd" });
    const checkout = await tempDir();
    try {
      const credentials = { username: "alice", password: "wonderland" };
      await pushImage(registry, "shop/web", ["1.0.0", "1.1.0", "2.0.0-rc.1", "x.sig"], {
        credentials,
      });
      const manifest = `image: ${registry.host}/shop/web:1.0.0 # {"$imagepolicy": "apps:web"}\n`;
      await Deno.writeTextFile(`${checkout.path}/deploy.yaml`, manifest);
      const repo = { namespace: "apps", name: "web" };
      const report = await imagesDryRun({
        repositories: [
          { ...repo, spec: { image: `${registry.host}/shop/web`, insecure: true }, credentials },
          {
            namespace: "apps",
            name: "locked",
            spec: { image: `${registry.host}/shop/web`, insecure: true },
          },
        ],
        policies: [
          { ...repo, repository: repo, spec: { policy: { semver: { range: "^1" } } } },
          {
            namespace: "apps",
            name: "bad",
            repository: repo,
            spec: { policy: { semver: { range: "not a range" } } },
          },
          {
            namespace: "apps",
            name: "orphan",
            repository: { namespace: "apps", name: "locked" },
            spec: { policy: { alphabetical: {} } },
          },
        ],
        automations: [{
          namespace: "apps",
          name: "auto",
          checkoutDir: checkout.path,
          update: { strategy: "Setters" },
        }],
      });
      assert.equal(report.repositories[0].tagCount, 3);
      assert.match(report.repositories[1].error ?? "", /access denied|requires/);
      assert.equal(report.policies[0].latestImage, `${registry.host}/shop/web:1.1.0`);
      assert.match(report.policies[1].error ?? "", /spec.policy.semver.range: invalid range/);
      assert.match(report.policies[2].error ?? "", /no tags to choose from/);
      assert.equal(report.automations[0].changes.length, 1);
      assert.equal(
        await Deno.readTextFile(`${checkout.path}/deploy.yaml`),
        manifest,
        "a dry run writes nothing",
      );
      const text = formatImagesReport(report);
      assert.match(text, new RegExp(`apps/web\\s+${registry.host}/shop/web:1.1.0`));
      assert.match(text, /ImageUpdateAutomation apps\/auto: would change 1 field/);
      assert.match(text, /deploy.yaml: .*shop\/web:1.0.0 -> .*shop\/web:1.1.0 {2}\(apps:web\)/);
    } finally {
      await checkout.remove();
      await registry.stop();
    }
  },
);

Deno.test("an automation without an update strategy is an error in the report", async () => {
  const report = await imagesDryRun({
    repositories: [],
    policies: [],
    automations: [{ namespace: "a", name: "b", checkoutDir: "/nonexistent", update: undefined }],
  });
  assert.match(report.automations[0].error ?? "", /no update strategy/);
  const unknown = await imagesDryRun({
    repositories: [],
    policies: [],
    automations: [{
      namespace: "a",
      name: "b",
      checkoutDir: "/nonexistent",
      update: { strategy: "foo" },
    }],
  });
  assert.match(unknown.automations[0].error ?? "", /unknown update strategy "foo"/);
});
