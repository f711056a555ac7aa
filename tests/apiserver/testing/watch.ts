// Reading watch streams in the emulator's tests.

export interface WatchEvent {
  type: string;
  // deno-lint-ignore no-explicit-any
  object: any;
}

/** Reads newline-delimited watch events until `count` arrived or the stream ends. */
export async function readEvents(res: Response, count: number): Promise<WatchEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: WatchEvent[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      events.push(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
    }
  }
  await reader.cancel();
  return events;
}

/** Reads events until one satisfies `done`; returns all read so far. */
export async function readUntil(
  res: Response,
  done: (e: WatchEvent) => boolean,
): Promise<WatchEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: WatchEvent[] = [];
  let buffer = "";
  while (true) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += value;
    let nl;
    let finished = false;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const e = JSON.parse(buffer.slice(0, nl)) as WatchEvent;
      events.push(e);
      buffer = buffer.slice(nl + 1);
      if (done(e)) finished = true;
    }
    if (finished) break;
  }
  await reader.cancel();
  return events;
}
