// The proof that the emulator speaks the protocol: the real kubectl against it. The same story
// runs with Debian's kubectl 1.20 (unpacked by tests/setup/20-kubectl.sh) and with the newer
// /usr/bin/kubectl when the machine has one.
import assert from "node:assert/strict";
import { startApiServer } from "./mod.ts";
import { type KubectlRun, runKubectl } from "./testing/kubectl.ts";
import { ensureOpenApiProtobuf } from "./testing/oracle.ts";

const root = new URL("../../", import.meta.url).pathname;
const KUBECTL_120 = `${root}.cache/kubectl-1.20/usr/bin/kubectl`;
const KUBECTL_NEW = "/usr/bin/kubectl";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  color: blue
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - name: MODE
          value: prod
`;

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the widget should be.
            properties:
              size: {type: integer, description: How big.}
`;

const WIDGET = `
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: shop
spec:
  size: 3
`;

async function kubectlStory(kubectl: string, newer: boolean): Promise<void> {
  const server = await startApiServer({ rolloutDelayMs: 50 });
  const dir = await Deno.makeTempDir({ prefix: "kubectl-story-" });
  const run = (args: string[], stdin?: string): Promise<KubectlRun> =>
    runKubectl(kubectl, server.kubeconfigPath, dir, args, stdin);
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await run(args, stdin);
    assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  try {
    assert.match(await ok(["version", "-o", "json"]), /"gitVersion": "v1\.34\.0"/);
    const resources = await ok(["api-resources"]);
    assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);

    assert.match(await ok(["apply", "-f", "-"], MANIFESTS), /deployment.apps\/web created/);
    assert.match(await ok(["apply", "-f", "-"], MANIFESTS), /configmap\/settings unchanged/);
    assert.equal((await run(["diff", "-f", "-"], MANIFESTS)).code, 0, "in sync: no diff");
    const changed = MANIFESTS.replace("color: blue", "color: green");
    const diff = await run(["diff", "-f", "-"], changed);
    assert.equal(diff.code, 1, `diff should find a change: ${diff.stderr}`);
    assert.match(diff.stdout, /-\s+color: blue\n\+\s+color: green/);
    await ok(["apply", "-f", "-"], changed);
    assert.equal(
      await ok(["get", "cm", "settings", "-n", "shop", "-o", "jsonpath={.data.color}"]),
      "green",
    );

    const table = await ok(["get", "deploy", "-n", "shop"]);
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    await ok(["wait", "--for=condition=Available", "deploy/web", "-n", "shop", "--timeout=20s"]);
    assert.match(
      await ok(["rollout", "status", "deploy/web", "-n", "shop", "--timeout=20s"]),
      /deployment "web" successfully rolled out/,
    );
    assert.match(await ok(["get", "deploy", "web", "-n", "shop"]), /^web\s+2\/2\s+2\s+2\s+/m);

    const ssa = changed.replace("replicas: 2", "replicas: 3");
    assert.match(await ok(["apply", "--server-side", "-f", "-"], ssa), /serverside-applied/);
    // kubectl 1.20 always prints managedFields; newer ones hide them unless asked.
    const showManaged = newer ? ["--show-managed-fields"] : [];
    const deploy = JSON.parse(
      await ok(["get", "deploy", "web", "-n", "shop", "-o", "json", ...showManaged]),
    );
    assert.equal(deploy.spec.replicas, 3);
    const managers = deploy.metadata.managedFields.map((
      m: { manager: string; operation: string },
    ) => `${m.manager}/${m.operation}`);
    assert.ok(managers.includes("kubectl/Apply"), managers.join(","));
    const conflict = await run(
      ["apply", "--server-side", "--field-manager=intruder", "-f", "-"],
      ssa.replace("replicas: 3", "replicas: 5"),
    );
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict/i);
    assert.match(conflict.stderr, /\.spec\.replicas/);
    await ok(
      ["apply", "--server-side", "--field-manager=intruder", "--force-conflicts", "-f", "-"],
      ssa.replace("replicas: 3", "replicas: 5"),
    );
    assert.equal(
      await ok(["get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}"]),
      "5",
    );

    await ok([
      "patch",
      "deploy",
      "web",
      "-n",
      "shop",
      "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}',
    ]);
    await ok([
      "patch",
      "cm",
      "settings",
      "-n",
      "shop",
      "--type=merge",
      "-p",
      '{"data":{"size":"L"}}',
    ]);
    await ok([
      "patch",
      "cm",
      "settings",
      "-n",
      "shop",
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/data/color"}]',
    ]);
    const cm = JSON.parse(await ok(["get", "cm", "settings", "-n", "shop", "-o", "json"]));
    assert.deepEqual(cm.data, { size: "L" });
    const image = await ok([
      "get",
      "deploy",
      "web",
      "-n",
      "shop",
      "-o",
      "jsonpath={.spec.template.spec.containers[0].image}",
    ]);
    assert.equal(image, "nginx:1.26");

    assert.equal(
      (await ok(["auth", "can-i", "create", "deployments", "-n", "shop"])).trim(),
      "yes",
    );
    const nobody = await run([
      "auth",
      "can-i",
      "create",
      "deployments",
      "-n",
      "shop",
      "--as=nobody",
    ]);
    assert.equal(nobody.stdout.trim(), "no");
    assert.equal(nobody.code, 1);

    assert.match(await ok(["explain", "deployment.spec.replicas"]), /replicas\s+<integer>/);
    if (newer) {
      // kubectl >= 1.25 asks the server for strict field validation.
      const typo = await run(["apply", "-f", "-"], MANIFESTS.replace("replicas: 2", "replica: 2"));
      assert.notEqual(typo.code, 0);
      assert.match(typo.stderr, /strict decoding error: unknown field "spec\.replica"/);
    }

    await ok(["apply", "-f", "-"], CRD);
    await ok(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s"]);
    assert.match(
      await ok(["apply", "--server-side", "-f", "-"], WIDGET),
      /widget.example.com\/w1 serverside-applied/,
    );
    assert.match(await ok(["get", "wd", "-n", "shop"]), /^w1\s+3\s+/m);
    if (newer) {
      // kubectl >= 1.27 explains from /openapi/v3, which covers custom resources too.
      assert.match(await ok(["explain", "widgets.spec.size"]), /How big\./);
    }

    assert.match(await ok(["delete", "-f", "-"], WIDGET), /deleted/);
    assert.match(await ok(["delete", "deploy", "web", "-n", "shop"]), /deleted/);
    await ok(["delete", "ns", "shop", "--wait=false"]);
    const waited = await run(["wait", "--for=delete", "ns/shop", "--timeout=20s"]);
    // kubectl 1.20 reports an object that is already gone as "no matching resources found".
    assert.ok(
      waited.code === 0 || /no matching resources found/.test(waited.stderr),
      waited.stderr,
    );
    const after = await run(["get", "cm", "settings", "-n", "shop"]);
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /NotFound|not found/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test({
  name: "kubectl 1.20 (Debian) drives the emulator: apply, diff, patch, wait, auth, explain, CRDs",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    if (!(await exists(KUBECTL_120))) {
      console.log(`skipped: ${KUBECTL_120} is missing (tests/setup/20-kubectl.sh unpacks it)`);
      return;
    }
    await ensureOpenApiProtobuf();
    await t.step("story", () => kubectlStory(KUBECTL_120, false));
  },
});

Deno.test({
  name: "the newer system kubectl drives the emulator through the same story",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    if (!(await exists(KUBECTL_NEW))) {
      console.log(`skipped: ${KUBECTL_NEW} is absent on this machine`);
      return;
    }
    await kubectlStory(KUBECTL_NEW, true);
  },
});
