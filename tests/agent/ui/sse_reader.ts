/** One server-sent event of the status page's streams, its `data` decoded from JSON. */
export interface SseEvent {
  event: string;
  data: { key?: string; html: string };
}

/**
 * Reads a status page stream until `until` accepts an event, and returns that event. Rejects
 * when the stream ends first; after `timeoutMs` the stream is cancelled, which ends it.
 */
export async function readEventsUntil(
  body: ReadableStream<Uint8Array>,
  until: (e: SseEvent) => boolean,
  timeoutMs = 2_000,
): Promise<SseEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => reader.cancel(), timeoutMs);
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended (or the time ran out) before the expected event");
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const parsed = { event, data: JSON.parse(data) };
        if (until(parsed)) return parsed;
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}
