// `/ui/events`: Server-Sent Events. The overview gets one `row` event per changed object (its
// rendered <tr>), `remove` when an object left the config, and `summary`; an object page gets
// `object` with its rendered sections. Changes within COALESCE_MS go out together, so a burst
// of runs costs one render, and a change still shows well within a second. Every page gets
// `warnings` (the banner about the agent itself) when they connect and whenever it changes.
import { objectSections } from "./object_html.ts";
import { overviewRow, summaryLine } from "./overview_html.ts";
import type { StatusPageSource } from "./source.ts";
import { warningsBanner } from "./warnings_html.ts";

const COALESCE_MS = 100;
/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/**
 * Warnings come from a getter (the presence record behind them renews every 10 s), not from
 * events: the stream looks this often and sends the banner only when it changed.
 */
const WARNINGS_POLL_MS = 1_000;

export interface EventStreamOptions {
  /** An object's key: stream its page instead of the overview. */
  object?: string;
  signal?: AbortSignal;
  now?: () => number;
}

export function eventStream(source: StatusPageSource, options: EventStreamOptions = {}): Response {
  const enc = new TextEncoder();
  const now = options.now ?? Date.now;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (event: string, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          cleanup();
        }
      };
      const pending = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let lastObjectHtml = "";
      let known = new Set(source.overview().map((r) => r.key));

      const flushOverview = () => {
        const rows = source.overview();
        const byKey = new Map(rows.map((r) => [r.key, r]));
        for (const key of pending) {
          const row = byKey.get(key);
          if (row) send("row", { key, html: overviewRow(row, now()) });
        }
        // Objects leave silently (a config reload drops their status): any change shows it.
        for (const key of known) if (!byKey.has(key)) send("remove", { key });
        known = new Set(byKey.keys());
        send("summary", { html: summaryLine(rows) });
      };
      // The object, what it depends on and what uses it: other objects' runs do not change
      // its page.
      let relevant = new Set<string>();
      const flushObject = async (key: string) => {
        if (relevant.size > 0 && ![...pending].some((k) => relevant.has(k))) return;
        const details = await source.details(key);
        if (!details) return;
        relevant = new Set([
          key,
          ...details.dependencies.map((d) => d.key),
          ...(details.dependants ?? []).map((d) => d.key),
        ]);
        const html = objectSections(details, now());
        if (html === lastObjectHtml) return;
        lastObjectHtml = html;
        send("object", { html });
      };
      const flush = async () => {
        timer = undefined;
        try {
          if (options.object) await flushObject(options.object);
          else flushOverview();
        } catch {
          // A failed render skips one update; the next change renders again.
        }
        pending.clear();
      };
      let lastWarnings: string | undefined;
      const sendWarnings = () => {
        let html: string;
        try {
          html = warningsBanner(source.warnings?.() ?? []);
        } catch {
          return; // a failing getter skips one look; the next one tries again
        }
        if (html === lastWarnings) return;
        lastWarnings = html;
        send("warnings", { html });
      };
      const warningsPoll = source.warnings
        ? setInterval(sendWarnings, WARNINGS_POLL_MS)
        : undefined;
      const unsubscribe = source.subscribe((key) => {
        pending.add(key);
        timer ??= setTimeout(flush, COALESCE_MS);
      });
      const keepalive = setInterval(() => {
        if (!closed) {
          try {
            controller.enqueue(enc.encode(": keepalive\n\n"));
          } catch {
            cleanup();
          }
        }
      }, KEEPALIVE_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearTimeout(timer);
        clearInterval(keepalive);
        clearInterval(warningsPoll);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      options.signal?.addEventListener("abort", () => cleanup(), { once: true });
      // The retry hint makes a browser reconnect quickly after an agent restart.
      controller.enqueue(enc.encode("retry: 2000\n: connected\n\n"));
      // The page may have been rendered before the warnings last changed.
      if (source.warnings) sendWarnings();
      // An object page may have changed between its render and this connection.
      if (options.object) timer = setTimeout(flush, 0);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}
