import assert from "node:assert/strict";
import { ByteLimitError, concatBytes, encodeBase64, readBounded } from "../../../lib/bytes/mod.ts";

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
    cancel: onCancel,
  });
}

Deno.test("concatBytes joins chunks in order, empty ones included", () => {
  const joined = concatBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)]);
  assert.deepEqual([...joined], [1, 2, 3]);
  assert.equal(concatBytes([]).length, 0);
});

Deno.test("readBounded reads a stream whole when it stays within the ceiling", async () => {
  const body = await readBounded(streamOf([Uint8Array.of(1, 2), Uint8Array.of(3, 4)]), 4);
  assert.deepEqual([...body], [1, 2, 3, 4]);
});

Deno.test("readBounded stops at the first chunk past the ceiling and cancels the stream", async () => {
  let cancelled = false;
  const source = streamOf(
    [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5), Uint8Array.of(6)],
    () => (cancelled = true),
  );
  const error = await readBounded(source, 4).catch((e) => e);
  assert.ok(error instanceof ByteLimitError);
  assert.equal(error.maxBytes, 4);
  assert.equal(error.seen, 5);
  assert.ok(cancelled, "the source is cancelled");
});

Deno.test("readBounded passes the source's own errors through", async () => {
  const broken = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new TypeError("corrupt"));
    },
  });
  await assert.rejects(readBounded(broken, 10), { name: "TypeError", message: "corrupt" });
});

Deno.test("encodeBase64 matches btoa, past the chunk size of one fromCharCode call", () => {
  const bytes = new Uint8Array(0x8000 * 2 + 7).map((_, i) => (i * 31) % 256);
  assert.equal(
    encodeBase64(bytes),
    btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join("")),
  );
  assert.equal(encodeBase64(new TextEncoder().encode("pässwörd")), "cMOkc3N3w7ZyZA==");
});
