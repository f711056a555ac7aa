// `skiff reconcile` takes the object as flux and kubectl spell it, and sends the agent the kind
// it means; kinds skiff has no reconciler for are refused with what to do instead.
import assert from "node:assert/strict";
import { main } from "../../../main.ts";
import { reconcileTarget } from "../../../agent/cli/reconcile_target.ts";
import { UsageError } from "../../../agent/cli/output.ts";

const SPELLINGS: [string[], string][] = [
  // flux reconcile's sub-commands and aliases
  [["kustomization", "apps"], "Kustomization"],
  [["ks", "apps"], "Kustomization"],
  [["helmrelease", "apps"], "HelmRelease"],
  [["hr", "apps"], "HelmRelease"],
  [["source", "git", "apps"], "GitRepository"],
  [["source", "helm", "apps"], "HelmRepository"],
  [["source", "oci", "apps"], "OCIRepository"],
  [["image", "repository", "apps"], "ImageRepository"],
  [["image", "policy", "apps"], "ImagePolicy"],
  [["image", "update", "apps"], "ImageUpdateAutomation"],
  // a kind word and a name
  [["oci", "apps"], "OCIRepository"],
  [["ocirepository", "apps"], "OCIRepository"],
  [["OCIRepository", "apps"], "OCIRepository"],
  [["gitrepository", "apps"], "GitRepository"],
  [["helmrepository", "apps"], "HelmRepository"],
  [["imageupdateautomation", "apps"], "ImageUpdateAutomation"],
  // kubectl's kind/name, with plurals and the CRDs' short names
  [["ocirepositories/apps"], "OCIRepository"],
  [["ocirepo/apps"], "OCIRepository"],
  [["gitrepo/apps"], "GitRepository"],
  [["helmrepo/apps"], "HelmRepository"],
  [["kustomizations/apps"], "Kustomization"],
  [["imagepolicies/apps"], "ImagePolicy"],
  [["Kustomization/apps"], "Kustomization"],
  // a bare name: --kind (default Kustomization)
  [["apps"], "Kustomization"],
];

Deno.test("every flux and kubectl spelling of a kind names the right object", () => {
  for (const [words, kind] of SPELLINGS) {
    assert.deepEqual(
      reconcileTarget(words, "Kustomization"),
      { kind, name: "apps" },
      words.join(" "),
    );
  }
  assert.deepEqual(reconcileTarget(["apps"], "oci"), { kind: "OCIRepository", name: "apps" });
  assert.deepEqual(reconcileTarget(["apps"], "OCIRepository"), {
    kind: "OCIRepository",
    name: "apps",
  });
});

Deno.test("kinds skiff does not reconcile, and malformed lines, are refused with a way out", () => {
  const refused: [string[], RegExp][] = [
    [["source", "bucket", "apps"], /no Bucket source/],
    [["source", "chart", "flux-system-apps"], /HelmRelease with --with-source/],
    [["receiver", "github"], /Receivers take effect when the config loads/],
    [["alert", "slack"], /Alerts take effect/],
    [["alert-provider", "slack"], /Providers take effect/],
    [["source", "svn", "apps"], /unknown kind "source svn": expected source git, helm, oci/],
    [["image", "scan", "apps"], /expected image repository, policy, update/],
    [["source", "apps"], /"source" needs a kind: source git\|helm\|oci NAME/],
    [["deployment", "apps"], /unknown kind "deployment": expected one of GitRepository/],
    [["ks", "apps", "extra"], /too many arguments/],
    [[], /name the object/],
  ];
  for (const [words, message] of refused) {
    assert.throws(() => reconcileTarget(words, "Kustomization"), (e) => {
      assert.ok(e instanceof UsageError, words.join(" "));
      assert.match(e.message, message, words.join(" "));
      return true;
    });
  }
});

Deno.test("skiff reconcile source oci NAME asks the agent for that OCIRepository", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const received: unknown[] = [];
  const abort = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
    async (req) => {
      const body = await req.json();
      received.push(body);
      const key = `${body.kind}/${body.namespace}/${body.name}`;
      return Response.json({ triggered: key }, { status: 202 });
    },
  );
  const log = console.log;
  const printed: string[] = [];
  console.log = (...a: unknown[]) => printed.push(a.join(" "));
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    assert.equal(
      await main(["reconcile", "source", "oci", "podinfo", "-n", "apps", "--agent-url", url]),
      0,
    );
    assert.equal(
      await main(["reconcile", "oci", "podinfo", "--with-source", "--agent-url", url]),
      0,
    );
    assert.equal(await main(["reconcile", "ks", "apps", "--agent-url", url]), 0);
    assert.equal(await main(["reconcile", "source", "bucket", "x", "--agent-url", url]), 2);
    assert.deepEqual(received, [
      { kind: "OCIRepository", namespace: "apps", name: "podinfo", withSource: false },
      { kind: "OCIRepository", namespace: "flux-system", name: "podinfo", withSource: true },
      { kind: "Kustomization", namespace: "flux-system", name: "apps", withSource: false },
    ]);
    assert.match(printed[0], /reconcile requested for OCIRepository\/apps\/podinfo/);
  } finally {
    console.log = log;
    abort.abort();
    await server.finished;
  }
});
