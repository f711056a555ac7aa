// Watch streams: newline-delimited JSON events, resumed from the last seen resourceVersion when
// the connection drops, and restarted with a fresh list when the server says 410 Gone.
import type { KubeObject } from "../types.ts";
import type { ApiStatus } from "../errors.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface RawWatchEvent {
  type: WatchEventType;
  object: KubeObject | ApiStatus;
}

/** What a resumable watch yields: object events, and "RESYNC" after a relist (with the list). */
export type WatchEvent =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: KubeObject }
  | { type: "RESYNC"; objects: KubeObject[] };

/** Splits a response body into JSON events. */
export async function* readWatchEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<RawWatchEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as RawWatchEvent;
      }
    }
    const rest = buffer.trim();
    if (rest) yield JSON.parse(rest) as RawWatchEvent;
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}
