// Deno's fetch verifies the server certificate against the URL's host and has no option for
// another name (kubeconfig's tls-server-name). A tiny in-process HTTP CONNECT proxy bridges
// the gap: the request URL names tls-server-name, fetch tunnels through this proxy, and the
// proxy connects to the real server address whatever host the CONNECT line asks for.

export interface Tunnel {
  /** http://127.0.0.1:PORT, for Deno.createHttpClient({ proxy: { url } }). */
  url: string;
  close(): void;
}

export function startServerNameTunnel(target: { hostname: string; port: number }): Tunnel {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const open = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      bridge(conn, target, open).finally(() => open.delete(conn));
    }
  })().catch(() => {/* listener closed */});
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      listener.close();
      for (const c of open) tryClose(c);
    },
  };
}

async function bridge(
  client: Deno.Conn,
  target: { hostname: string; port: number },
  open: Set<Deno.Conn>,
) {
  let upstream: Deno.Conn | undefined;
  try {
    const head = await readHead(client);
    if (!/^CONNECT /i.test(head)) {
      await client.write(new TextEncoder().encode("HTTP/1.1 405 Method Not Allowed\r\n\r\n"));
      return;
    }
    upstream = await Deno.connect(target);
    open.add(upstream);
    await client.write(new TextEncoder().encode("HTTP/1.1 200 Connection Established\r\n\r\n"));
    await Promise.all([
      client.readable.pipeTo(upstream.writable).catch(() => {}),
      upstream.readable.pipeTo(client.writable).catch(() => {}),
    ]);
  } catch {
    // a broken tunnel surfaces to fetch as a connection error
  } finally {
    if (upstream) open.delete(upstream), tryClose(upstream);
    tryClose(client);
  }
}

/** Reads up to the end of the request head, byte by byte so no tunnel data is consumed. */
async function readHead(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(1);
  let head = "";
  while (!head.endsWith("\r\n\r\n")) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("closed before the request head ended");
    head += String.fromCharCode(buf[0]);
    if (head.length > 8192) throw new Error("request head too long");
  }
  return head;
}

function tryClose(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
