// Background processes for tests (registry, git server, sshd...): start, wait until a TCP
// port answers, and stop them with everything they started.

/** A TCP port nobody listens on right now, on loopback. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export interface BackgroundProcess {
  child: Deno.ChildProcess;
  stop(): Promise<void>;
}

export function startProcess(
  cmd: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; quiet?: boolean } = {},
): BackgroundProcess {
  const child = new Deno.Command(cmd, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: options.quiet === false ? "inherit" : "null",
    stderr: options.quiet === false ? "inherit" : "null",
  }).spawn();
  return {
    child,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
    },
  };
}

/** A temporary directory removed by the returned disposer. */
export async function tempDir(
  prefix = "skiff-test-",
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, remove: () => Deno.remove(path, { recursive: true }).catch(() => {}) };
}
