// Reads a webhook request body with a size cap and a deadline, so an unauthenticated sender can
// neither make the agent buffer an arbitrary amount of memory nor hold a request open forever.
// The signature can only be checked over the whole body, so the body must be bounded before it.
import { concatBytes } from "../../lib/bytes/mod.ts";

/**
 * 1 MiB: push and registry events from the senders Receivers support are a few KiB to a few
 * hundred KiB, and a receiver only needs the event header and a small JSON payload; anything
 * bigger is refused before it is buffered.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * 10 s for the whole body, not between chunks: a slowloris sender trickling a byte now and then
 * would reset an idle timer forever. Real senders deliver a 1 MiB payload in well under a second.
 */
export const WEBHOOK_BODY_TIMEOUT_MS = 10_000;

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBytes: MAX_WEBHOOK_BODY_BYTES,
  timeoutMs: WEBHOOK_BODY_TIMEOUT_MS,
};

/** Why a body was not read; `status` is the HTTP answer (413 or 408). */
export class BodyLimitError extends Error {
  constructor(
    readonly reason: "TooLarge" | "Timeout",
    readonly status: 413 | 408,
    message: string,
  ) {
    super(message);
    this.name = "BodyLimitError";
  }
}

function tooLarge(limits: BodyLimits, what: string): BodyLimitError {
  return new BodyLimitError(
    "TooLarge",
    413,
    `request body ${what} is over the limit of ${limits.maxBytes} bytes`,
  );
}

/**
 * The body's bytes, or a BodyLimitError. A declared Content-Length over the cap is refused
 * before a byte is read; a chunked (or lying) body is cancelled as soon as it passes the cap.
 */
export async function readBodyLimited(
  request: Request,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limits.maxBytes) {
    throw tooLarge(limits, `of ${declared} bytes (Content-Length)`);
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limits.timeoutMs);
  });
  try {
    while (true) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === "timeout") {
        throw new BodyLimitError(
          "Timeout",
          408,
          `request body not received within ${limits.timeoutMs} ms (${total} bytes arrived)`,
        );
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > limits.maxBytes) throw tooLarge(limits, `of at least ${total} bytes`);
      chunks.push(next.value);
    }
  } catch (e) {
    // Stop reading: nothing more is buffered. Deno.serve (2.9.6) still reads and discards the
    // rest of the body on its own and keeps the connection until the sender hangs up; no
    // Request/Response API closes it (see docs/reliability.md, known gaps).
    await reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return concatBytes(chunks);
}
