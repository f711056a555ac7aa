// An HTTP proxy in front of a real server (git http-backend, docker-registry) that a scenario
// programs to answer in its place: 500s, 401s, 429s, garbage. It counts the faults it served.

/** Return a Response to serve it instead of the real server's answer; undefined to pass. */
export type FaultRule = (request: Request, url: URL) => Response | undefined;

export interface FaultProxy {
  /** The proxy's origin, e.g. "http://127.0.0.1:41234". */
  origin: string;
  /** The current rule; undefined passes everything through. */
  rule: FaultRule | undefined;
  /** Responses served by a rule so far. */
  faults: number;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const controller = new AbortController();
  let port = 0;
  const listening = new Promise<void>((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen: (addr) => {
        port = addr.port;
        resolve();
      },
    }, async (request) => {
      const url = new URL(request.url);
      const injected = proxy.rule?.(request, url);
      if (injected) {
        proxy.faults++;
        await request.body?.cancel();
        return injected;
      }
      const upstream = new URL(url.pathname + url.search, target);
      const headers = new Headers(request.headers);
      headers.delete("host");
      const response = await fetch(upstream, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
      });
      return new Response(response.body, { status: response.status, headers: response.headers });
    });
    proxy.stop = async () => {
      controller.abort();
      await server.finished;
    };
  });
  const proxy: FaultProxy = {
    origin: "",
    rule: undefined,
    faults: 0,
    stop: () => Promise.resolve(),
  };
  await listening;
  proxy.origin = `http://127.0.0.1:${port}`;
  return proxy;
}
