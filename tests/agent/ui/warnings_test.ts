// Warnings about the agent itself (two agents on one cluster) on the status page: a banner on
// every page, server-rendered, and kept current over the page's event stream.
import assert from "node:assert/strict";
import { createStatusPage, statusPageSourceFromStore } from "../../../agent/ui/mod.ts";
import { APPS, fleet } from "./fixture.ts";
import { readEventsUntil } from "./sse_reader.ts";

const CONFLICT = 'another skiff agent ("replica-2") reconciles this cluster without leader ' +
  "election: enable Agent spec.leaderElection <b>now</b>";

/** The fixture's fleet, with warnings the test changes. */
function withWarnings(warnings: string[]) {
  const f = fleet();
  const source = statusPageSourceFromStore(f.store, {
    warnings: () => warnings,
    redact: (text) => text.replaceAll("hunter2", "***"),
  });
  return { f, source, handle: createStatusPage(source) };
}

async function page(handle: ReturnType<typeof createStatusPage>, path: string): Promise<string> {
  return await (await handle(new Request(`http://127.0.0.1${path}`)))!.text();
}

/** The banner element, whatever its content. */
function banner(html: string): string {
  return /<section id="warnings"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
}

Deno.test("agent warnings show as a banner at the top of every page, escaped and redacted", async () => {
  const { handle } = withWarnings([CONFLICT, "token hunter2 leaked"]);
  for (const path of ["/ui/", `/ui/object/${APPS}`, "/ui/object/Kustomization/x/nope"]) {
    const html = await page(handle, path);
    const b = banner(html);
    assert.match(b, /role="alert"/, path);
    assert.doesNotMatch(b, / hidden/, path);
    assert.match(b, /2 agent warnings/);
    assert.ok(b.includes("leader election: enable Agent spec.leaderElection &lt;b&gt;now"), path);
    assert.ok(b.includes("token *** leaked"), path);
    // Above the page's own content.
    assert.ok(html.indexOf('id="warnings"') < html.indexOf("<h1>"), path);
  }
});

Deno.test("without warnings the banner is empty and hidden", async () => {
  const { handle } = withWarnings([]);
  const b = banner(await page(handle, "/ui/"));
  assert.match(b, /^<section id="warnings" class="warnings"[^>]* hidden><\/section>$/);
  // A source without warnings at all (a test fake, an older agent) renders the same.
  const plain = createStatusPage(fleet().source);
  assert.equal(banner(await page(plain, "/ui/")), b);
});

for (const stream of ["/ui/events", `/ui/events?object=${encodeURIComponent(APPS)}`]) {
  Deno.test(`the stream ${stream} sends the banner on connect and whenever it changes`, async () => {
    const warnings: string[] = [];
    const { handle } = withWarnings(warnings);
    const res = (await handle(new Request(`http://127.0.0.1${stream}`)))!;
    const seen: string[] = [];
    const started = performance.now();
    await readEventsUntil(res.body!, (e) => {
      if (e.event !== "warnings") return false;
      seen.push(e.data.html);
      if (seen.length === 1) warnings.push(CONFLICT); // a second agent appears
      if (seen.length === 2) warnings.length = 0; // and goes away again
      return seen.length === 3;
    }, 5_000);
    assert.match(seen[0], / hidden>/);
    assert.match(seen[1], /role="alert"[\s\S]*another skiff agent/);
    assert.match(seen[2], / hidden>/);
    // Each change within the poll period (1 s), not the presence record's 10 s: two changes
    // take ~2 s; the margin is for a loaded CI machine and still well below 2 × 10 s.
    assert.ok(performance.now() - started < 8_000);
  });
}

Deno.test("an unchanged banner is not sent again", async () => {
  const { handle } = withWarnings([CONFLICT]);
  const res = (await handle(new Request("http://127.0.0.1/ui/events")))!;
  let count = 0;
  await assert.rejects(
    readEventsUntil(res.body!, (e) => {
      if (e.event === "warnings") count++;
      return false;
    }, 2_500),
    /stream ended/,
  );
  assert.equal(count, 1);
});
