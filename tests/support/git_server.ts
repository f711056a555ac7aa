// A real Git smart-HTTP server for tests: a small Deno HTTP server in front of `git http-backend`
// (the CGI program that ships with git), with optional basic or bearer auth and a hook to damage
// responses. Plus helpers that build repositories with the real git CLI.
//
//   const server = await startGitServer({ root, auth: { username: "u", password: "p" } });
//   const repo = await createRepo(root, "fleet", { "app/deploy.yaml": "kind: X\n" });
//   fetchGitArtifact({ url: server.url("fleet"), ... });
//   await server.stop();

export interface GitServerAuth {
  username?: string;
  password?: string;
  /** When set, `Authorization: Bearer <token>` is accepted (instead of basic auth). */
  bearerToken?: string;
}

export interface GitServerOptions {
  /** Directory holding bare repositories `<name>.git`. */
  root: string;
  auth?: GitServerAuth;
  /**
   * Rewrites a response body before it is sent (e.g. to truncate a pack). Gets the request path
   * (`/fleet.git/git-upload-pack`) and the full body from git http-backend.
   */
  damage?: (path: string, body: Uint8Array) => Uint8Array;
  /** Serve HTTPS with this PEM certificate and key (see makeTestCertificate). */
  tls?: { cert: string; key: string };
}

export interface GitServer {
  /** The clone URL of `<root>/<name>.git`. */
  url(name: string): string;
  port: number;
  /** Requests seen, as "METHOD /path?query", for asserting what a client did. */
  requests: string[];
  stop(): Promise<void>;
}

const backend = "/usr/lib/git-core/git-http-backend";

export function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const requests: string[] = [];
  const controller = new AbortController();
  let resolveListening: (port: number) => void;
  const listening = new Promise<number>((r) => resolveListening = r);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => resolveListening(port),
    ...(options.tls ?? {}),
  }, async (request) => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    if (options.auth && !authorized(request, options.auth)) {
      return new Response("authentication required\n", {
        status: 401,
        headers: { "www-authenticate": 'Basic realm="git"' },
      });
    }
    return await runBackend(request, url, options);
  });
  return listening.then((port) => ({
    port,
    requests,
    url: (name: string) =>
      `${options.tls ? "https://localhost" : "http://127.0.0.1"}:${port}/${name}.git`,
    async stop() {
      controller.abort();
      await server.finished;
    },
  }));
}

function authorized(request: Request, auth: GitServerAuth): boolean {
  const header = request.headers.get("authorization") ?? "";
  if (auth.bearerToken !== undefined) return header === `Bearer ${auth.bearerToken}`;
  return header === `Basic ${btoa(`${auth.username ?? ""}:${auth.password ?? ""}`)}`;
}

async function runBackend(
  request: Request,
  url: URL,
  options: GitServerOptions,
): Promise<Response> {
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: options.root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: decodeURIComponent(url.pathname),
    REQUEST_METHOD: request.method,
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: request.headers.get("content-type") ?? "",
    // http-backend allows receive-pack only for an authenticated user (or http.receivepack).
    REMOTE_USER: "tester",
    REMOTE_ADDR: "127.0.0.1",
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  };
  const encoding = request.headers.get("content-encoding");
  if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = request.headers.get("git-protocol");
  if (protocol) env.GIT_PROTOCOL = protocol;
  const length = request.headers.get("content-length");
  if (length) env.CONTENT_LENGTH = length;

  const child = new Deno.Command(backend, {
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writing = request.body
    ? request.body.pipeTo(child.stdin).catch(() => {})
    : child.stdin.close();
  const output = await child.output();
  await writing;
  return cgiResponse(output.stdout, url.pathname, options);
}

/** Splits CGI output into a Response: header lines, a blank line, then the body. */
function cgiResponse(raw: Uint8Array, path: string, options: GitServerOptions): Response {
  let split = -1;
  let bodyStart = 0;
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] === 10 && raw[i + 1] === 10) {
      split = i;
      bodyStart = i + 2;
      break;
    }
    if (raw[i] === 13 && raw[i + 1] === 10 && raw[i + 2] === 13 && raw[i + 3] === 10) {
      split = i;
      bodyStart = i + 4;
      break;
    }
  }
  if (split < 0) return new Response("git http-backend wrote no headers\n", { status: 500 });
  const headerText = new TextDecoder().decode(raw.subarray(0, split));
  const headers = new Headers();
  let status = 200;
  for (const line of headerText.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
    else headers.append(name, value);
  }
  let body = raw.subarray(bodyStart);
  if (options.damage) body = options.damage(path, body);
  return new Response(body as Uint8Array<ArrayBuffer>, { status, headers });
}

/**
 * A throwaway CA and a certificate for "localhost" signed by it (openssl CLI), for HTTPS tests
 * of custom CAs (`ca.crt`).
 */
export async function makeTestCertificate(
  dir: string,
): Promise<{ caCert: string; cert: string; key: string }> {
  const run = async (args: string[]) => {
    const { code, stderr } = await new Deno.Command("openssl", { args, cwd: dir, stderr: "piped" })
      .output();
    if (code !== 0) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(stderr)}`);
  };
  await run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=skiff test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
  ]);
  await run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  ]);
  await Deno.writeTextFile(`${dir}/san.ext`, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await run([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.crt",
  ]);
  return {
    caCert: await Deno.readTextFile(`${dir}/ca.crt`),
    cert: await Deno.readTextFile(`${dir}/server.crt`),
    key: await Deno.readTextFile(`${dir}/server.key`),
  };
}

// ---- repositories built with the real git CLI ----

const identity = {
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Test Committer",
  GIT_COMMITTER_EMAIL: "committer@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

/** Runs the real git in `cwd`; returns trimmed stdout or throws with stderr. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command("git", {
    args,
    cwd,
    env: identity,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`git ${args.join(" ")} (in ${cwd}): ${new TextDecoder().decode(stderr)}`);
  }
  return out.trim();
}

/**
 * A bare repository `<root>/<name>.git` (what the server serves) and a working clone
 * `<root>/<name>.work` used to make commits and push them.
 */
export interface TestRepo {
  bare: string;
  work: string;
  /** Writes (string) or deletes (null) files, commits on the current branch, pushes; returns the sha. */
  commit(files: Record<string, string | Uint8Array | null>, message?: string): Promise<string>;
  /** Runs git in the working clone. */
  git(...args: string[]): Promise<string>;
  /** Creates a tag at HEAD (annotated when `message` is given) and pushes it. */
  tag(name: string, message?: string): Promise<void>;
  /** Creates and switches to a branch in the working clone, pushing it. */
  branch(name: string): Promise<void>;
  /** Switches the working clone to an existing branch. */
  switch(name: string): Promise<void>;
}

export async function createRepo(
  root: string,
  name: string,
  files: Record<string, string | Uint8Array | null> = { "README.md": "# test\n" },
  branch = "main",
): Promise<TestRepo> {
  const bare = `${root}/${name}.git`;
  const work = `${root}/${name}.work`;
  await Deno.mkdir(bare, { recursive: true });
  await git(bare, "init", "--bare", "--quiet", `--initial-branch=${branch}`);
  await git(bare, "config", "http.receivepack", "true");
  await git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
  await Deno.mkdir(work, { recursive: true });
  await git(work, "init", "--quiet", `--initial-branch=${branch}`);
  await git(work, "remote", "add", "origin", bare);
  const repo: TestRepo = {
    bare,
    work,
    git: (...args) => git(work, ...args),
    async commit(changes, message = "change") {
      for (const [path, content] of Object.entries(changes)) {
        const full = `${work}/${path}`;
        if (content === null) {
          await Deno.remove(full);
          continue;
        }
        await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
        if (typeof content === "string") await Deno.writeTextFile(full, content);
        else await Deno.writeFile(full, content);
      }
      await git(work, "add", "-A");
      await git(work, "commit", "--quiet", "--allow-empty", "-m", message);
      const current = await git(work, "rev-parse", "--abbrev-ref", "HEAD");
      await git(work, "push", "--quiet", "--force", "origin", current);
      return await git(work, "rev-parse", "HEAD");
    },
    async tag(tagName, tagMessage) {
      if (tagMessage) await git(work, "tag", "-a", tagName, "-m", tagMessage);
      else await git(work, "tag", tagName);
      await git(work, "push", "--quiet", "origin", `refs/tags/${tagName}`);
    },
    async branch(branchName) {
      await git(work, "switch", "--quiet", "-c", branchName);
      await git(work, "push", "--quiet", "origin", branchName);
    },
    async switch(branchName) {
      await git(work, "switch", "--quiet", branchName);
    },
  };
  await repo.commit(files, "initial");
  return repo;
}
