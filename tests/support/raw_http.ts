// Raw HTTP/1.1 over TCP, for tests that must control exactly which bytes a server receives and
// when (a head without its body, a body trickling in): fetch always sends the whole body.
const enc = new TextEncoder();

/** Sends raw bytes and returns the server's whole answer (head and Content-Length body). */
export async function rawExchange(
  port: number,
  head: string,
  trickle?: { every: number; stop: AbortSignal },
): Promise<{ text: string; ms: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const start = performance.now();
  await conn.write(enc.encode(head));
  let dripping = true;
  if (trickle) {
    (async () => {
      while (dripping && !trickle.stop.aborted) {
        await new Promise((r) => setTimeout(r, trickle.every));
        await conn.write(enc.encode("x")).catch(() => (dripping = false));
      }
    })();
  }
  let text = "";
  const buf = new Uint8Array(4096);
  const dec = new TextDecoder();
  try {
    // The answer is complete once the head and its Content-Length bytes are in: the server is not
    // waited on to close (Deno.serve keeps a connection whose body it refused open until the sender stops).
    while (!answerComplete(text)) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n));
    }
  } finally {
    dripping = false;
    conn.close();
  }
  return { text, ms: performance.now() - start };
}

function answerComplete(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const length = /content-length: (\d+)/i.exec(text.slice(0, end));
  return text.length - (end + 4) >= Number(length?.[1] ?? 0);
}
