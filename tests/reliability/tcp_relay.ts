// A TCP relay on a fixed loopback port in front of another port, which a scenario takes down
// (connections refused, open ones cut) and brings back up on the same port: "the server is down"
// for a client whose URL cannot change, such as an agent's GitRepository or ImageRepository.

export interface TcpRelay {
  /** The relay's own port, the same across down() and up(). */
  port: number;
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Stops listening and cuts every open connection: new connections are refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): void;
  stop(): Promise<void>;
}

export function startTcpRelay(targetPort: number): TcpRelay {
  const open = new Set<Deno.Conn>();
  let listener: Deno.Listener | undefined;
  let accepting: Promise<void> = Promise.resolve();

  const pipe = async (client: Deno.Conn) => {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
    } catch {
      closeQuietly(client);
      return;
    }
    open.add(client);
    open.add(upstream);
    // Either side ending ends both: a cut connection must look cut to the client.
    await Promise.race([
      client.readable.pipeTo(upstream.writable).catch(() => {}),
      upstream.readable.pipeTo(client.writable).catch(() => {}),
    ]);
    for (const c of [client, upstream]) {
      open.delete(c);
      closeQuietly(c);
    }
  };

  const listen = (port: number) => {
    const l = Deno.listen({ hostname: "127.0.0.1", port });
    listener = l;
    accepting = (async () => {
      try {
        for await (const conn of l) pipe(conn);
      } catch {
        // closed by down()
      }
    })();
    return (l.addr as Deno.NetAddr).port;
  };

  const relay: TcpRelay = {
    port: 0,
    host: "",
    async down() {
      if (!listener) return;
      closeQuietly(listener);
      listener = undefined;
      for (const c of open) closeQuietly(c);
      open.clear();
      await accepting;
    },
    up() {
      if (!listener) listen(relay.port);
    },
    stop: () => relay.down(),
  };
  relay.port = listen(0);
  relay.host = `127.0.0.1:${relay.port}`;
  return relay;
}

function closeQuietly(c: { close(): void }): void {
  try {
    c.close();
  } catch {
    // already closed
  }
}
