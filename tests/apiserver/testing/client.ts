// A tiny HTTP client for the emulator's own tests: JSON in, status and JSON out, trusting the
// emulator's CA.
import type { ApiServer } from "../mod.ts";

export interface Reply {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
}

export interface RequestOptions {
  token?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export class EmulatorClient {
  /** An HTTP client trusting the emulator's CA, for requests the helpers don't cover. */
  readonly http: Deno.HttpClient;

  constructor(readonly server: ApiServer) {
    this.http = Deno.createHttpClient({ caCerts: server.caPem ? [server.caPem] : [] });
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${opts.token ?? this.server.adminToken}`,
      accept: "application/json",
      ...opts.headers,
    };
    let payload: string | undefined;
    if (body !== undefined) {
      headers["content-type"] = opts.contentType ?? "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      body: payload,
      client: this.http,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get(path: string, opts?: RequestOptions): Promise<Reply> {
    return this.request("GET", path, undefined, opts);
  }

  post(path: string, body: unknown, opts?: RequestOptions): Promise<Reply> {
    return this.request("POST", path, body, opts);
  }

  put(path: string, body: unknown, opts?: RequestOptions): Promise<Reply> {
    return this.request("PUT", path, body, opts);
  }

  patch(path: string, body: unknown, contentType: string, opts?: RequestOptions): Promise<Reply> {
    return this.request("PATCH", path, body, { ...opts, contentType });
  }

  apply(
    path: string,
    body: unknown,
    manager: string,
    force = false,
    opts?: RequestOptions,
  ): Promise<Reply> {
    const q = `fieldManager=${encodeURIComponent(manager)}${force ? "&force=true" : ""}`;
    const sep = path.includes("?") ? "&" : "?";
    return this.request("PATCH", `${path}${sep}${q}`, body, {
      ...opts,
      contentType: "application/apply-patch+yaml",
    });
  }

  delete(path: string, body?: unknown, opts?: RequestOptions): Promise<Reply> {
    return this.request("DELETE", path, body, opts);
  }

  /** Polls until `check` returns a value (not undefined) or the timeout passes. */
  async eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.http.close();
  }
}
