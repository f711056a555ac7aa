// Watch streams: newline-delimited JSON events, starting from a resourceVersion (replaying the
// history after it, or 410 Expired as an ERROR event when it is too old), or from "now" with
// synthetic ADDED events for what exists; optional bookmarks; closed by timeoutSeconds or stop.
import type { Api } from "./api.ts";
import { type ResourceType, storageKey } from "./catalog.ts";
import { labelsOf, meta } from "./objects.ts";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import type { JsonObject } from "./ssa/typed.ts";
import { ApiError } from "./status.ts";
import type { StoreEvent } from "./store.ts";
import type { WatchEnd } from "./faults.ts";

export interface WatchRequest {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  params: URLSearchParams;
  /** A fault that cuts the stream short (faults.ts endWatches). */
  end?: WatchEnd;
}

const encoder = new TextEncoder();

function line(type: string, object: JsonObject): Uint8Array {
  return encoder.encode(JSON.stringify({ type, object }) + "\n");
}

/** The 410 a real server sends when a watch's resourceVersion fell out of its history. */
function expired(rv: string, oldest: number): JsonObject {
  return new ApiError(410, "Expired", `too old resource version: ${rv} (${oldest})`)
    .toStatus() as JsonObject;
}

export class Watches {
  #closers = new Set<() => void>();

  constructor(private readonly api: Api) {}

  closeAll(): void {
    for (const c of [...this.#closers]) c();
  }

  get active(): number {
    return this.#closers.size;
  }

  open(w: WatchRequest): ReadableStream<Uint8Array> {
    const { rt, params } = w;
    const store = this.api.store;
    const key = storageKey(rt.group, rt.resource);
    const ns = rt.namespaced ? w.namespace : undefined;
    const labelSel = parseLabelSelector(params.get("labelSelector"));
    let fieldSelText = params.get("fieldSelector");
    if (w.name) {
      fieldSelText = fieldSelText
        ? `${fieldSelText},metadata.name=${w.name}`
        : `metadata.name=${w.name}`;
    }
    const fieldSel = parseFieldSelector(fieldSelText);
    const matches = (o: JsonObject) =>
      (ns === undefined || (meta(o).namespace ?? "") === ns) && labelSel(labelsOf(o)) &&
      fieldSel(o);
    const present = (o: JsonObject): JsonObject =>
      o.apiVersion === rt.apiVersion ? o : { ...o, apiVersion: rt.apiVersion };
    const rvParam = params.get("resourceVersion") ?? "";
    const bookmarks = params.get("allowWatchBookmarks") === "true";
    const initialEvents = params.get("sendInitialEvents") === "true";
    const timeoutSeconds = Number(params.get("timeoutSeconds") ?? "0");
    const closers = this.#closers;
    let close = () => {};
    return new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        const timers: ReturnType<typeof setTimeout>[] = [];
        let unsubscribe = () => {};
        close = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          for (const t of timers) clearTimeout(t), clearInterval(t);
          closers.delete(close);
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        closers.add(close);
        const send = (type: string, o: JsonObject) => {
          if (closed) return;
          try {
            controller.enqueue(line(type, o));
          } catch {
            close();
          }
        };
        const bookmark = (extra: Record<string, string> = {}) =>
          send("BOOKMARK", {
            kind: rt.kind,
            apiVersion: rt.apiVersion,
            metadata: {
              resourceVersion: String(store.resourceVersion),
              ...(Object.keys(extra).length > 0 ? { annotations: extra } : {}),
            },
          });
        const onEvent = (e: StoreEvent) => {
          if (e.key !== key) return;
          const now = matches(e.object);
          if (e.type !== "MODIFIED" || !e.previous) {
            if (now) send(e.type, present(e.object));
            return;
          }
          // A change that moves an object into or out of the selection is an ADDED or DELETED.
          const before = matches(e.previous);
          if (before && now) send("MODIFIED", present(e.object));
          else if (now) send("ADDED", present(e.object));
          else if (before) send("DELETED", present(e.object));
        };
        if (rvParam === "" || rvParam === "0" || initialEvents) {
          for (const o of store.list(key, ns)) if (matches(o)) send("ADDED", present(o));
          if (initialEvents) bookmark({ "k8s.io/initial-events-end": "true" });
        } else {
          const since = store.eventsSince(Number(rvParam));
          if (!since || !/^\d+$/.test(rvParam)) {
            send("ERROR", expired(rvParam, store.oldestResumable));
            close();
            return;
          }
          for (const e of since) onEvent(e);
        }
        unsubscribe = store.subscribe(onEvent);
        if (bookmarks) timers.push(setInterval(() => bookmark(), 1000));
        if (timeoutSeconds > 0) timers.push(setTimeout(close, timeoutSeconds * 1000));
        const end = w.end;
        if (end) {
          timers.push(setTimeout(() => {
            if (end.expired) send("ERROR", expired(rvParam, store.oldestResumable));
            close();
          }, end.afterMs));
        }
      },
      cancel() {
        close();
      },
    });
  }
}
