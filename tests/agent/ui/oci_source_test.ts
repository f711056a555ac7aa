// OCIRepository on the status page, as any source: listed in the dependency chain of what
// renders from it, and named as the root cause when its pull fails, also through dependsOn
// (apps → infra → infra's OCIRepository) and for a HelmRelease's chartRef.
import assert from "node:assert/strict";
import { objectKey, StatusStore } from "../../../agent/status/mod.ts";
import { createStatusPage, statusPageSourceFromStore } from "../../../agent/ui/mod.ts";

const OCI = objectKey("OCIRepository", "flux-system", "infra");
const CHARTS = objectKey("OCIRepository", "flux-system", "charts");
const INFRA = objectKey("Kustomization", "flux-system", "infra");
const APPS = objectKey("Kustomization", "flux-system", "apps");
const WEB = objectKey("HelmRelease", "flux-system", "web");
const ORPHAN = objectKey("Kustomization", "flux-system", "orphan");
const PULL_ERROR = "oci://127.0.0.1:5000/fleet/infra: repository or tag not found (404)";

function world() {
  const store = new StatusStore();
  const sources: Record<string, string> = {
    [INFRA]: OCI,
    [APPS]: objectKey("GitRepository", "flux-system", "fleet"),
    [WEB]: CHARTS,
    [ORPHAN]: objectKey("OCIRepository", "other-shard", "apps"),
  };
  const source = statusPageSourceFromStore(store, { sourceOf: (k) => sources[k] });
  for (const k of [OCI, CHARTS, INFRA, WEB, ORPHAN]) store.ensure(k, { suspended: false });
  store.ensure(APPS, { suspended: false, dependsOn: [INFRA] });
  store.ensure(sources[APPS], { suspended: false });
  const record = (key: string, ready: "True" | "False", reason: string, message: string) =>
    store.record(key, { ready, reason, message, durationMs: 5 });
  record(sources[APPS], "True", "Succeeded", "stored artifact for revision 'main@sha1:1234567'");
  record(OCI, "False", "OCIArtifactPullFailed", PULL_ERROR);
  record(INFRA, "False", "ArtifactFailed", `source ${OCI} is not ready: no artifact fetched yet`);
  record(APPS, "False", "DependencyNotReady", "dependency 'flux-system/infra' is not ready");
  record(WEB, "False", "ArtifactFailed", `source ${CHARTS} is not ready: no artifact fetched yet`);
  record(ORPHAN, "False", "ArtifactFailed", "source not ready");
  return { store, source, record, handle: createStatusPage(source) };
}

Deno.test("a Kustomization lists its OCIRepository and says why it waits for it", async () => {
  const { source, handle } = world();
  const infra = (await source.details(INFRA))!;
  assert.deepEqual(
    infra.dependencies.map((d) => [d.relation, d.key, d.ready]),
    [["source", OCI, "False"]],
  );
  assert.equal(infra.rootCause, `infra waits for its source ${OCI}, which failed: ${PULL_ERROR}`);
  const html = await (await handle(new Request(`http://127.0.0.1/ui/object/${INFRA}`)))!.text();
  assert.match(html, /href="\/ui\/object\/OCIRepository\/flux-system\/infra"/);
  assert.match(html, /id="root-cause"[\s\S]*waits for its source OCIRepository/);
});

Deno.test("through dependsOn the root cause is the OCIRepository's pull error", async () => {
  const { source } = world();
  const apps = (await source.details(APPS))!;
  assert.equal(
    apps.rootCause,
    `apps waits for infra, which waits for its source ${OCI}, which failed: ${PULL_ERROR}`,
  );
  // The whole chain is listed: infra, and below it infra's source.
  assert.deepEqual(
    apps.dependencies.map((d) => [d.relation, d.key, d.depth]),
    [
      ["source", "GitRepository/flux-system/fleet", 1],
      ["dependsOn", INFRA, 1],
      ["source", OCI, 2],
    ],
  );
});

Deno.test("a HelmRelease waits for its chartRef OCIRepository; a source not reconciled here is named", async () => {
  const { source, record } = world();
  assert.equal(
    (await source.details(WEB))!.rootCause,
    `web waits for its source ${CHARTS}, which is not ready yet`,
  );
  record(CHARTS, "False", "OCIArtifactLayerOperationFailed", "no layer with media type tar+gzip");
  assert.match((await source.details(WEB))!.rootCause!, /which failed: no layer with media type/);
  assert.equal(
    (await source.details(ORPHAN))!.rootCause,
    "orphan waits for its source OCIRepository/other-shard/apps, which this agent does not reconcile",
  );
});

Deno.test("the OCIRepository's own page gives its reason; a Ready object has no root cause", async () => {
  const { source, record } = world();
  assert.equal((await source.details(OCI))!.rootCause, `OCIArtifactPullFailed: ${PULL_ERROR}`);
  record(OCI, "True", "Succeeded", "stored artifact for digest '1.0.0@sha256:abc'");
  record(INFRA, "True", "ReconciliationSucceeded", "Applied revision: 1.0.0@sha256:abc");
  assert.equal((await source.details(INFRA))!.rootCause, undefined);
  // apps still says DependencyNotReady until it runs again: nothing is left to wait for.
  assert.equal((await source.details(APPS))!.rootCause, undefined);
});

Deno.test("a source's page lists what renders from it, and has no inventory section", async () => {
  const { source, handle } = world();
  assert.deepEqual((await source.details(OCI))!.dependants, [
    { key: INFRA, relation: "source", ready: "False", reason: "ArtifactFailed" },
  ]);
  assert.deepEqual((await source.details(INFRA))!.dependants, [
    { key: APPS, relation: "dependsOn", ready: "False", reason: "DependencyNotReady" },
  ]);
  const page = async (key: string) =>
    await (await handle(new Request(`http://127.0.0.1/ui/object/${key}`)))!.text();
  const oci = await page(OCI);
  assert.match(
    oci,
    /id="used-by"[\s\S]*s-waiting">Waiting<\/span> <a href="\/ui\/object\/Kustomization\/flux-system\/infra">Kustomization\/flux-system\/infra<\/a> <span class="muted">renders from it/,
  );
  assert.doesNotMatch(oci, /id="inventory"/);
  const infra = await page(INFRA);
  assert.match(
    infra,
    /id="used-by"[\s\S]*flux-system\/apps<\/a> <span class="muted">depends on it/,
  );
  assert.match(infra, /id="inventory"/);
  // Nothing uses apps: no section at all.
  assert.doesNotMatch(await page(APPS), /id="used-by"/);
});

Deno.test("a source's open page updates when what renders from it changes", async () => {
  const { record, handle } = world();
  const res = (await handle(
    new Request(`http://127.0.0.1/ui/events?object=${encodeURIComponent(OCI)}`),
  ))!;
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => reader.cancel(), 3_000);
  setTimeout(
    () => record(INFRA, "True", "ReconciliationSucceeded", "Applied revision: 1.0.0"),
    150,
  );
  let text = ""; // the event data as JSON strings: quotes come escaped
  try {
    while (
      !/s-ready\\">Ready<\/span> <a href=\\"\/ui\/object\/Kustomization\/flux-system\/infra/.test(
        text,
      )
    ) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`no update with infra Ready in:\n${text}`);
      text += value;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
});
