// The two receivers of bench/events: a generic webhook (plain HTTP, answers 200) and a GitHub
// Enterprise commit-status API over HTTPS (answers the presence check with no statuses and each
// POST with 201). Both count what they received and answer at once, so the numbers measure the
// sender.
import { makeTestCertificate } from "../../tests/support/git_server.ts";

export interface Endpoint {
  url: string;
  received(): number;
  stop(): Promise<void>;
}

export function startWebhook(): Endpoint {
  let received = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.arrayBuffer();
    received++;
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    received: () => received,
    stop: () => server.shutdown(),
  };
}

/** `url` is the repository address a github Provider names; `caCert` the CA to trust. */
export async function startGithub(dir: string): Promise<Endpoint & { caCert: string }> {
  const tls = await makeTestCertificate(dir);
  let received = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: tls.cert, key: tls.key, onListen() {} },
    async (req) => {
      if (req.method === "GET") return Response.json([]); // .../commits/{sha}/statuses
      await req.arrayBuffer();
      received++;
      return Response.json({ id: received }, { status: 201 });
    },
  );
  return {
    url: `https://127.0.0.1:${server.addr.port}/org/fleet`,
    caCert: tls.caCert,
    received: () => received,
    stop: () => server.shutdown(),
  };
}
