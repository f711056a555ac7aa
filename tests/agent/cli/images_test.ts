// `skiff images`: real registries (Debian's docker-registry, one behind htpasswd) and a real
// `git http-backend`; the report lists latest images and the would-be changes, writing nothing.
import assert from "node:assert/strict";
import { imagesCommand } from "../../../agent/cli/images.ts";
import { CommandError } from "../../../agent/cli/output.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { pushImage, startRegistry } from "../../support/registry.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";
import { tempDir } from "../../support/process.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const quiet = new Logger({ level: "error", sink: { write: () => {} } });

async function setup() {
  const tmp = await tempDir("skiff-images-cli-");
  const open = await startRegistry();
  const locked = await startRegistry({ auth: "htpasswd" });
  await pushImage(open, "shop/web", ["0.9.0", "1.0.0", "1.1.0"]);
  await pushImage(locked, "private/api", ["2.0.0", "2.1.0"], {
    credentials: { username: "alice", password: "wonderland" },
  });
  await Deno.mkdir(`${tmp.path}/repos`);
  const server = await startGitServer({ root: `${tmp.path}/repos` });
  const repo = await createRepo(`${tmp.path}/repos`, "fleet", {
    "apps/web.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${open.host}/shop/web:1.0.0 # {"$imagepolicy": "flux-system:web"}
        - name: api
          image: ${locked.host}/private/api:2.0.0 # {"$imagepolicy": "flux-system:api"}
`,
  });
  const config = `${tmp.path}/skiff.yaml`;
  await Deno.writeTextFile(
    config,
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet}
spec: {interval: 1m, url: "${server.url("fleet")}", ref: {branch: main}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: web}
spec: {image: ${open.host}/shop/web, interval: 5m, insecure: true}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: api}
spec: {image: ${locked.host}/private/api, interval: 5m, insecure: true, secretRef: {name: regcred}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: web}
spec: {imageRepositoryRef: {name: web}, policy: {semver: {range: ">=1.0.0"}}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: api}
spec: {imageRepositoryRef: {name: api}, policy: {semver: {range: "^2"}}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta1
kind: ImageUpdateAutomation
metadata: {name: fleet}
spec:
  interval: 5m
  sourceRef: {kind: GitRepository, name: fleet}
  git:
    checkout: {ref: {branch: main}}
    commit: {author: {email: bot@example.com}}
    push: {branch: main}
  update: {path: ./apps, strategy: Setters}
`,
  );
  const dockerConfig = `${tmp.path}/config.json`;
  await Deno.writeTextFile(
    dockerConfig,
    JSON.stringify({ auths: { [locked.host]: { auth: btoa("alice:wonderland") } } }),
  );
  return {
    open,
    locked,
    repo,
    config,
    dockerConfig,
    tmp: tmp.path,
    async [Symbol.asyncDispose]() {
      await server.stop();
      await open.stop();
      await locked.stop();
      await tmp.remove();
    },
  };
}

async function run(options: Parameters<typeof imagesCommand>[0]) {
  let out = "";
  const code = await imagesCommand({ ...options, write: (t) => (out += t) }, quiet);
  return { code, out };
}

Deno.test("prints latest images and the fields an automation would change", opts, async () => {
  await using env = await setup();
  const head = await git(env.repo.bare, "rev-parse", "main");
  const { code, out } = await run({ config: env.config, output: "table" });
  assert.equal(code, 0, out);
  const lines = out.split("\n");
  assert.match(lines[0], /^POLICY\s+LATEST IMAGE\s+MESSAGE$/);
  assert.match(out, new RegExp(`flux-system/web\\s+${env.open.host}/shop/web:1\\.1\\.0\\n`));
  assert.match(
    out,
    /flux-system\/api\s+-\s+skipped: ImageRepository flux-system\/api was not scanned: its credentials are in Secret flux-system\/regcred .*pass --docker-config FILE/,
  );
  assert.match(out, /ImageUpdateAutomation flux-system\/fleet: would change 1 field\(s\)/);
  assert.match(
    out,
    /apps\/web\.yaml: spec\.template\.spec\.containers\[0\]\.image: .*shop\/web:1\.0\.0 -> .*shop\/web:1\.1\.0 {2}\(flux-system:web\)/,
  );
  // A dry run: nothing was pushed.
  assert.equal(await git(env.repo.bare, "rev-parse", "main"), head);
});

Deno.test(
  "--docker-config unlocks private registries; -o json is machine-readable",
  opts,
  async () => {
    await using env = await setup();
    const { code, out } = await run({
      config: env.config,
      output: "json",
      dockerConfig: env.dockerConfig,
      cacheDir: `${env.tmp}/cache`,
    });
    assert.equal(code, 0, out);
    const report = JSON.parse(out);
    assert.deepEqual(
      report.policies.map((p: { name: string; latestImage: string }) =>
        `${p.name}=${p.latestImage}`
      ),
      [`web=${env.open.host}/shop/web:1.1.0`, `api=${env.locked.host}/private/api:2.1.0`],
    );
    assert.equal(report.repositories[1].tagCount, 2);
    const changes = report.automations[0].changes.map((
      c: { file: string; setter: string; newValue: string },
    ) => `${c.file} ${c.setter} ${c.newValue}`);
    assert.deepEqual(changes, [
      `apps/web.yaml flux-system:web ${env.open.host}/shop/web:1.1.0`,
      `apps/web.yaml flux-system:api ${env.locked.host}/private/api:2.1.0`,
    ]);
    // Checkouts are temporary.
    assert.deepEqual([...Deno.readDirSync(`${env.tmp}/cache`)], []);
  },
);

Deno.test(
  "exit 1 when a registry cannot be scanned, 2 for a bad config or options",
  opts,
  async () => {
    await using env = await setup();
    await env.open.stop();
    const scan = await run({ config: env.config, output: "yaml", dockerConfig: env.dockerConfig });
    assert.equal(scan.code, 1);
    assert.match(scan.out, /error: /);

    await Deno.writeTextFile(`${env.tmp}/bad.yaml`, "kind: ImagePolicy\napiVersion: nope/v1\n");
    const bad = await run({ config: `${env.tmp}/bad.yaml`, output: "table" }).catch((e) => e);
    assert.ok(bad instanceof CommandError);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.message, /bad\.yaml is invalid/);

    await Deno.writeTextFile(`${env.tmp}/broken.json`, "{not json");
    const broken = await run({
      config: env.config,
      output: "table",
      dockerConfig: `${env.tmp}/broken.json`,
    }).catch((e) => e);
    assert.ok(broken instanceof CommandError);
    assert.match(broken.message, /--docker-config .*broken\.json/);
  },
);

Deno.test("`skiff images` is a command of the binary", opts, async () => {
  await using env = await setup();
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      "--no-check",
      new URL("../../../main.ts", import.meta.url).pathname,
      "images",
      "--config",
      env.config,
      "-o",
      "yaml",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(out, /latestImage: .*shop\/web:1\.1\.0/);
});
