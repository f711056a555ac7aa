// Git over SSH. The pack protocol is the same over SSH and smart HTTP, so this transport
// answers the same HTTP-shaped requests as the HTTP one (transport/types.ts), for a
// placeholder URL, by running git-upload-pack / git-receive-pack on the server over an SSH
// channel (ssh2, pure JS), turning the ref advertisement into the smart-HTTP form and piping the
// request and response bodies through. The host key is always checked against known_hosts.
import type { GitHttpRequest, GitHttpResponse } from "./types.ts";
import type { SshAuth } from "../auth.ts";
import { GitError } from "../errors.ts";
import { concatBytes } from "../../bytes/mod.ts";
import { ChannelReader } from "./channel_reader.ts";
import type { ClosableHttpClient } from "./http.ts";
import { type HostKeyVerdict, verifyHostKey } from "./known_hosts.ts";

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** Repository path on the server, as in the URL. */
  path: string;
  /** The URL as the user wrote it (for messages). */
  url: string;
}

export interface SshTransportOptions {
  signal?: AbortSignal;
  maxResponseBytes?: number;
  /** Handshake timeout in milliseconds. */
  connectTimeoutMs?: number;
}

/** The URL the protocol code requests; every request to it goes over SSH. */
export const SSH_PLACEHOLDER_URL = "http://ssh-transport.skiff.invalid/repo.git";

type Service = "git-upload-pack" | "git-receive-pack";

// The parts of ssh2's API used here (the package ships no TypeScript types).
interface ClientChannel {
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array): void;
  once(event: "drain", listener: () => void): void;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "close" | "end", listener: () => void): unknown;
  stderr: { on(event: "data", listener: (chunk: Uint8Array) => void): unknown };
}

interface Client {
  on(event: "ready", listener: () => void): Client;
  on(event: "error", listener: (error: Error & { level?: string }) => void): Client;
  connect(config: Record<string, unknown>): void;
  exec(command: string, callback: (error: Error | undefined, channel: ClientChannel) => void): void;
  end(): void;
}

// ssh2 (and its crypto) loads on the first SSH URL only: an agent fetching over HTTPS never
// holds it in memory.
let clientClass: Promise<new () => Client> | undefined;
function loadClientClass(): Promise<new () => Client> {
  clientClass ??= import("ssh2").then((m) => m.Client as unknown as new () => Client);
  return clientClass;
}

interface OpenChannel {
  service: Service;
  channel: ClientChannel;
  reader: ChannelReader;
  stderr: () => string;
}

export function sshTransport(
  target: SshTarget,
  auth: SshAuth,
  options: SshTransportOptions = {},
): ClosableHttpClient {
  let connection: Promise<Client> | undefined;
  let pending: OpenChannel | undefined;
  let client: Client | undefined;

  const connect = (): Promise<Client> => {
    connection ??= openConnection(target, auth, options).then((c) => client = c);
    return connection;
  };

  const closePending = () => {
    if (!pending) return;
    try {
      pending.channel.end(new TextEncoder().encode("0000"));
    } catch {
      // already closed
    }
    pending = undefined;
  };

  options.signal?.addEventListener("abort", () => {
    pending?.reader.fail(new GitError("Timeout", "the SSH operation was cancelled", target.url));
    client?.end();
  }, { once: true });

  return {
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      const url = new URL(request.url);
      const service = (url.searchParams.get("service") ??
        url.pathname.slice(url.pathname.lastIndexOf("/") + 1)) as Service;
      if (service !== "git-upload-pack" && service !== "git-receive-pack") {
        throw new GitError(
          "GitOperationFailed",
          `unsupported SSH request ${url.pathname}`,
          target.url,
        );
      }
      if ((request.method ?? "GET") === "GET") {
        closePending();
        const conn = await connect();
        const opened = await execService(conn, service, target);
        const advertisement = await opened.reader.readAdvertisement(opened.stderr);
        pending = opened;
        const banner = pktLine(`# service=${service}\n`);
        return response(
          request,
          `application/x-${service}-advertisement`,
          (async function* () {
            yield concatBytes([banner, new TextEncoder().encode("0000"), advertisement]);
          })(),
        );
      }
      const open = pending;
      if (!open || open.service !== service) {
        throw new GitError("GitOperationFailed", `${service} was not started over SSH`, target.url);
      }
      pending = undefined;
      for await (const chunk of request.body ?? []) {
        if (!open.channel.write(chunk)) {
          await new Promise<void>((resolve) => open.channel.once("drain", () => resolve()));
        }
      }
      open.channel.end();
      return response(
        request,
        `application/x-${service}-result`,
        open.reader.rest(options.maxResponseBytes),
      );
    },
    close() {
      closePending();
      client?.end();
    },
  };
}

function response(
  request: GitHttpRequest,
  contentType: string,
  body: AsyncIterableIterator<Uint8Array>,
): GitHttpResponse {
  return {
    url: request.url,
    method: request.method,
    statusCode: 200,
    statusMessage: "OK",
    headers: { "content-type": contentType },
    body,
  };
}

function pktLine(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const header = (bytes.length + 4).toString(16).padStart(4, "0");
  return concatBytes([new TextEncoder().encode(header), bytes]);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function execService(conn: Client, service: Service, target: SshTarget): Promise<OpenChannel> {
  return new Promise((resolve, reject) => {
    conn.exec(`${service} ${shellQuote(target.path)}`, (error, channel) => {
      if (error) {
        reject(
          new GitError("GitOperationFailed", `cannot run ${service}: ${error.message}`, target.url),
        );
        return;
      }
      let stderrText = "";
      channel.stderr.on("data", (chunk: Uint8Array) => {
        if (stderrText.length < 4096) stderrText += new TextDecoder().decode(chunk);
      });
      resolve({
        service,
        channel,
        reader: new ChannelReader(channel, target.url),
        stderr: () => stderrText,
      });
    });
  });
}

async function openConnection(
  target: SshTarget,
  auth: SshAuth,
  options: SshTransportOptions,
): Promise<Client> {
  const ClientClass = await loadClientClass();
  return await new Promise((resolve, reject) => {
    const conn = new ClientClass();
    let verdict: HostKeyVerdict | undefined;
    conn.on("ready", () => resolve(conn));
    conn.on("error", (error: Error & { level?: string }) => {
      conn.end();
      reject(classify(error, verdict, target));
    });
    try {
      conn.connect({
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: auth.privateKey,
        passphrase: auth.passphrase,
        readyTimeout: options.connectTimeoutMs ?? 20_000,
        hostVerifier: (key: Uint8Array) => {
          verdict = verifyHostKey(auth.knownHosts, target.host, target.port, key);
          return verdict === "trusted";
        },
      });
    } catch (error) {
      // ssh2 throws synchronously for a key it cannot parse (or a wrong passphrase).
      const message = error instanceof Error ? error.message : String(error);
      reject(new GitError("AuthFailed", `the SSH identity cannot be used: ${message}`, target.url));
    }
  });
}

function classify(
  error: Error & { level?: string },
  verdict: HostKeyVerdict | undefined,
  target: SshTarget,
): GitError {
  const where = target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
  if (verdict && verdict !== "trusted") {
    const why = {
      unknown: `${where} is not in known_hosts`,
      mismatch: `the host key of ${where} does not match known_hosts`,
      revoked: `the host key of ${where} is marked @revoked in known_hosts`,
    }[verdict];
    return new GitError("HostKeyMismatch", `SSH host key verification failed: ${why}`, target.url);
  }
  if (error.level === "client-authentication") {
    return new GitError("AuthFailed", `SSH authentication as "${target.user}" failed`, target.url);
  }
  if (error.level === "client-timeout") {
    return new GitError("Unreachable", `SSH connection to ${where} timed out`, target.url, error);
  }
  return new GitError(
    "Unreachable",
    `SSH connection to ${where} failed: ${error.message}`,
    target.url,
    error,
  );
}
