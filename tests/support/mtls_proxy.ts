// An HTTPS front that requires a client certificate (mutual TLS) and passes requests on to a
// plain HTTP server on loopback (e.g. startGitServer's git http-backend).
//
// Deno.serve cannot ask for client certificates; Deno's node:https can: `requestCert: true` with
// `rejectUnauthorized: true` makes the TLS handshake fail for a client without a certificate
// signed by `clientCa` (the client sees the alert "CertificateRequired").
//
//   const front = await startMtlsProxy({ upstreamPort: server.port, cert, key, clientCa });
//   front.url("fleet")   // https://localhost:<port>/fleet.git
//   front.clients        // the CN of each accepted client certificate, per request
//   await front.stop();
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

export interface MtlsProxyOptions {
  /** Port of the HTTP server on 127.0.0.1 that requests are passed to. */
  upstreamPort: number;
  /** The server's certificate and key (PEM), valid for "localhost". */
  cert: string;
  key: string;
  /** PEM CA that client certificates must be signed by. */
  clientCa: string;
}

export interface MtlsProxy {
  port: number;
  /** The clone URL of `<name>.git` through the proxy. */
  url(name: string): string;
  /** Common name of the client certificate of each request passed on. */
  clients: string[];
  stop(): Promise<void>;
}

export function startMtlsProxy(options: MtlsProxyOptions): Promise<MtlsProxy> {
  const clients: string[] = [];
  const server = https.createServer({
    cert: options.cert,
    key: options.key,
    ca: options.clientCa,
    requestCert: true,
    rejectUnauthorized: true,
  }, (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const subject = socket.getPeerCertificate()?.subject as { CN?: string } | undefined;
    clients.push(subject?.CN ?? "");
    pass(req, res, options.upstreamPort).catch((error) => {
      res.statusCode = 502;
      res.end(`upstream failed: ${error}\n`);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        port,
        clients,
        url: (name) => `https://localhost:${port}/${name}.git`,
        stop: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function pass(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk as Uint8Array);
  const body = chunks.length ? new Blob(chunks as BlobPart[]) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string" && name !== "host") headers.set(name, value);
  }
  const upstream = await fetch(`http://127.0.0.1:${port}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
  res.statusCode = upstream.status;
  upstream.headers.forEach((value, name) => {
    // fetch already decoded the body; the length and encoding of the original do not apply.
    if (name !== "content-length" && name !== "content-encoding") res.setHeader(name, value);
  });
  res.end(new Uint8Array(await upstream.arrayBuffer()));
}
