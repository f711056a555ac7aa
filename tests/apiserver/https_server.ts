// HTTPS through node:https rather than Deno.serve: Deno.serve's TLS sockets cannot turn off
// Nagle's algorithm, which holds every response body larger than one write for the client's
// delayed ACK (about 40 ms per list on loopback). node:https sockets accept setNoDelay.
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { concatBytes } from "../../lib/bytes/mod.ts";

export interface HttpsServer {
  port: number;
  close(): Promise<void>;
}

export interface HttpsOptions {
  hostname: string;
  port: number;
  cert: string;
  key: string;
  /** CA whose client certificates authenticate users (CN = user, O = groups). */
  clientCa?: string;
}

/**
 * Set on requests whose TLS client certificate the CA signed: JSON {user, groups}. Any copy
 * sent by a client is removed first, so only the TLS layer can set it.
 */
export const CLIENT_CERT_HEADER = "x-emulator-client-certificate";

interface PeerSocket {
  authorized?: boolean;
  getPeerCertificate?: () => { subject?: { CN?: string; O?: string | string[] } } | undefined;
}

function clientIdentity(req: IncomingMessage): string | undefined {
  const socket = req.socket as unknown as PeerSocket;
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate?.()?.subject;
  if (!subject?.CN) return undefined;
  const groups = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return JSON.stringify({ user: subject.CN, groups });
}

async function toRequest(req: IncomingMessage, hostname: string, port: number): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === CLIENT_CERT_HEADER) continue;
    if (Array.isArray(v)) { for (const x of v) headers.append(k, x); }
    else if (v !== undefined) headers.set(k, v);
  }
  const identity = clientIdentity(req);
  if (identity) headers.set(CLIENT_CERT_HEADER, identity);
  const method = req.method ?? "GET";
  let body: Uint8Array | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const size = chunks.reduce((n, c) => n + c.length, 0);
    body = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      body.set(c, offset);
      offset += c.length;
    }
  }
  return new Request(`https://${hostname}:${port}${req.url ?? "/"}`, {
    method,
    headers,
    body: body as Uint8Array<ArrayBuffer> | undefined,
  });
}

async function send(res: ServerResponse, response: Response, closed: () => boolean): Promise<void> {
  const streaming = response.headers.get("transfer-encoding") === "chunked";
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    if (k !== "transfer-encoding") headers[k] = v;
  });
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  if (!streaming) {
    // Whole answers go out in one write with a Content-Length.
    const chunks: Uint8Array[] = [];
    while (true) {
      const chunk = await reader.read().catch(() => undefined);
      if (chunk === undefined) {
        res.destroy(); // an injected dropped connection
        return;
      }
      if (chunk.done) break;
      chunks.push(chunk.value);
    }
    const body = concatBytes(chunks);
    headers["content-length"] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  // Watches: headers now, then each event as it comes, until either side closes.
  res.writeHead(response.status, headers);
  res.flushHeaders();
  res.on("close", () => reader.cancel().catch(() => {}));
  while (!closed()) {
    const chunk = await reader.read().catch(() => undefined);
    if (chunk === undefined) {
      res.destroy();
      return;
    }
    if (chunk.done) break;
    res.write(chunk.value);
  }
  res.end();
}

export function serveHttps(
  opts: HttpsOptions,
  handler: (req: Request) => Promise<Response>,
): Promise<HttpsServer> {
  const sockets = new Set<Socket>();
  const tlsOptions = opts.clientCa
    ? { ca: [opts.clientCa], requestCert: true, rejectUnauthorized: false }
    : {};
  const server = https.createServer(
    { cert: opts.cert, key: opts.key, ...tlsOptions },
    (req, res) => {
      let isClosed = false;
      res.on("close", () => isClosed = true);
      toRequest(req, opts.hostname, actualPort)
        .then((request) => handler(request))
        .then((response) => send(res, response, () => isClosed))
        .catch(() => res.destroy());
    },
  );
  let actualPort = opts.port;
  server.on("secureConnection", (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => {
      const addr = server.address();
      actualPort = typeof addr === "object" && addr ? addr.port : opts.port;
      resolve({
        port: actualPort,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
