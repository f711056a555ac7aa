// Reading a stream whole with a ceiling, so a peer (a server's answer, a gzip bomb inflating)
// cannot exhaust memory: reading stops as soon as the ceiling is passed, not after.
//
// The bytes go into one growing buffer rather than a list of chunks joined at the end: with a
// size hint (Content-Length, gzip's recorded size) the whole read costs one allocation, which
// matters for large layers and archives on small nodes.

/** The source had more than `maxBytes`; callers turn this into their own error. */
export class ByteLimitError extends Error {
  override readonly name = "ByteLimitError";
  constructor(readonly maxBytes: number, readonly seen: number) {
    super(`more than ${maxBytes} bytes (at least ${seen})`);
  }
}

const FIRST_CAPACITY = 64 * 1024;

/**
 * All of `source`, or ByteLimitError once more than `maxBytes` arrived; leaving the loop early
 * cancels a ReadableStream source. Errors of the source itself pass through unchanged.
 * `sizeHint` is the expected size; it is only a hint (a wrong one costs a copy, never
 * correctness) and never allocates beyond `maxBytes`.
 */
export async function readBounded(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxBytes: number,
  sizeHint?: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const hinted = sizeHint !== undefined && Number.isFinite(sizeHint) && sizeHint > 0;
  let buffer = new Uint8Array(Math.min(hinted ? sizeHint : FIRST_CAPACITY, maxBytes));
  let total = 0;
  for await (const chunk of source) {
    const needed = total + chunk.length;
    if (needed > maxBytes) throw new ByteLimitError(maxBytes, needed);
    if (needed > buffer.length) {
      const grown = new Uint8Array(Math.min(Math.max(buffer.length * 2, needed), maxBytes));
      grown.set(buffer.subarray(0, total));
      buffer = grown;
    }
    buffer.set(chunk, total);
    total = needed;
  }
  if (total === buffer.length) return buffer;
  // Keep a view when little is wasted; copy out when the buffer is mostly empty.
  return total >= buffer.length * 0.875 ? buffer.subarray(0, total) : buffer.slice(0, total);
}
