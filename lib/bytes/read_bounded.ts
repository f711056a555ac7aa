// Reading a stream whole with a ceiling, so a peer (a server's answer, a gzip bomb inflating)
// cannot exhaust memory: reading stops as soon as the ceiling is passed, not after.
import { concatBytes } from "./concat.ts";

/** The source had more than `maxBytes`; callers turn this into their own error. */
export class ByteLimitError extends Error {
  override readonly name = "ByteLimitError";
  constructor(readonly maxBytes: number, readonly seen: number) {
    super(`more than ${maxBytes} bytes (at least ${seen})`);
  }
}

/**
 * All of `source`, or ByteLimitError once more than `maxBytes` arrived; leaving the loop early
 * cancels a ReadableStream source. Errors of the source itself pass through unchanged.
 */
export async function readBounded(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw new ByteLimitError(maxBytes, total);
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}
