// The page's only script: live updates through Server-Sent Events, instant filtering, and
// relative times that keep counting. Written in TypeScript and type-checked with the rest;
// Deno compiles it with the agent and the handler serves the function's compiled source, so
// no build step and no bundler. The function must stay self-contained (no imports, no
// references outside its body): only its text reaches the browser.
import type {
  BrowserElement,
  BrowserEvent,
  BrowserFragment,
  BrowserGlobals,
} from "./browser_types.ts";

export function statusPageClient(): void {
  const { document, history, EventSource } = globalThis as unknown as BrowserGlobals;
  const body = document.body;
  const page = body.dataset.page;
  const live = document.getElementById("live");

  function relative(iso: string): string {
    const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 1) return "now";
    const amount = abs < 60
      ? `${abs} s`
      : abs < 3600
      ? `${Math.round(abs / 60)} min`
      : abs < 86400
      ? `${Math.round(abs / 3600)} h`
      : `${Math.round(abs / 86400)} d`;
    return seconds < 0 ? `${amount} ago` : `in ${amount}`;
  }

  function refreshTimes(): void {
    for (
      const t of Array.from(
        document.querySelectorAll("time[data-rel]") as ArrayLike<BrowserElement>,
      )
    ) {
      t.textContent = relative(t.dateTime);
    }
  }

  function fragment(html: string): BrowserFragment {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  // Filtering: the same rules as the server's, on the row's data attributes.
  const form = document.querySelector("form.filters");
  function value(name: string): string {
    const el = form?.elements.namedItem(name) ?? null;
    return el ? el.value : "";
  }
  function visible(row: BrowserElement): boolean {
    const kind = value("kind");
    const namespace = value("namespace");
    const state = value("state");
    const text = value("q").trim().toLowerCase();
    if (kind && row.dataset.kind !== kind) return false;
    if (namespace && row.dataset.namespace !== namespace) return false;
    if (state === "suspended" && row.dataset.suspended !== "true") return false;
    if (state && state !== "suspended" && row.dataset.state !== state) return false;
    if (text && !(row.dataset.text ?? "").includes(text)) return false;
    return true;
  }
  function applyFilter(): void {
    let shown = 0;
    for (
      const row of Array.from(
        document.querySelectorAll("#rows tr") as ArrayLike<BrowserElement>,
      )
    ) {
      row.hidden = !visible(row);
      if (!row.hidden) shown++;
    }
    const empty = document.getElementById("empty");
    if (empty) empty.hidden = shown > 0;
  }
  if (form) {
    const update = () => {
      applyFilter();
      const params = new URLSearchParams();
      for (const name of ["kind", "namespace", "state", "q", "sort", "dir"]) {
        const v = value(name);
        if (v) params.set(name, v);
      }
      history.replaceState(null, "", `/ui/?${params}`);
    };
    form.addEventListener("input", update);
    form.addEventListener("submit", (e: BrowserEvent) => {
      e.preventDefault();
      update();
    });
  }

  function findRow(key: string): BrowserElement | undefined {
    for (
      const row of Array.from(
        document.querySelectorAll("#rows tr") as ArrayLike<BrowserElement>,
      )
    ) {
      if (row.dataset.key === key) return row;
    }
    return undefined;
  }

  function flash(el: BrowserElement): void {
    el.classList.add("changed");
    setTimeout(() => el.classList.remove("changed"), 1600);
  }

  function onRow(data: { key: string; html: string }): void {
    const incoming: BrowserElement | null = fragment(data.html).firstElementChild;
    if (!incoming) return;
    const existing = findRow(data.key);
    // Every run sends its row; only a change a person would notice gets highlighted.
    const changed = !existing || existing.dataset.text !== incoming.dataset.text ||
      existing.dataset.state !== incoming.dataset.state;
    if (existing) existing.replaceWith(incoming);
    else document.getElementById("rows")?.append(incoming);
    incoming.hidden = !visible(incoming);
    if (changed) flash(incoming);
    applyFilter();
  }

  function onRemove(data: { key: string }): void {
    findRow(data.key)?.remove();
    applyFilter();
  }

  function onSummary(data: { html: string }): void {
    const incoming = fragment(data.html).firstElementChild;
    const existing = document.getElementById("summary");
    if (incoming && existing) existing.replaceWith(incoming);
  }

  // The banner about the agent itself: always present (hidden when empty), replaced whole.
  function onWarnings(data: { html: string }): void {
    const incoming = fragment(data.html).firstElementChild;
    const existing = document.getElementById("warnings");
    if (incoming && existing && existing.outerHTML !== incoming.outerHTML) {
      existing.replaceWith(incoming);
    }
  }

  // Only the sections that changed are replaced: open <details> and focus elsewhere stay. A
  // section that came or went (the first consumer of a source) redraws them all, in order.
  function onObject(data: { html: string }): void {
    const container = document.getElementById("details");
    if (!container) return;
    const incoming = fragment(data.html);
    const ids = (list: ArrayLike<BrowserElement>) => Array.from(list).map((e) => e.id).join(" ");
    if (ids(incoming.children) !== ids(container.children)) {
      container.innerHTML = data.html;
      return;
    }
    for (const section of Array.from(incoming.children)) {
      const existing = section.id ? document.getElementById(section.id) : null;
      if (existing && existing.outerHTML !== section.outerHTML) existing.replaceWith(section);
    }
  }

  function connect(): void {
    if (page !== "overview" && page !== "object") return;
    const url = page === "object"
      ? `/ui/events?object=${encodeURIComponent(body.dataset.key ?? "")}`
      : "/ui/events";
    const events = new EventSource(url);
    const listen = <T>(name: string, handle: (data: T) => void) =>
      events.addEventListener(name, (e: BrowserEvent) => handle(JSON.parse(e.data ?? "null")));
    listen("row", onRow);
    listen("remove", onRemove);
    listen("summary", onSummary);
    listen("warnings", onWarnings);
    listen("object", (data: { html: string }) => {
      onObject(data);
      refreshTimes();
    });
    events.addEventListener("open", () => {
      if (live) {
        live.textContent = "live";
        live.classList.remove("off");
      }
    });
    events.addEventListener("error", () => {
      if (live) {
        live.textContent = "reconnecting…";
        live.classList.add("off");
      }
    });
  }

  applyFilter();
  refreshTimes();
  setInterval(refreshTimes, 10_000);
  connect();
}
