// Builds a Go oracle program (tests/oracle/<name>/) offline in GOPATH mode against Debian's
// Go libraries, once per run, and runs it. The binary is cached under .cache/oracle/.
const root = new URL("../../", import.meta.url).pathname;

const built = new Map<string, Promise<string>>();

/** Builds tests/oracle/<name> and returns the path of the binary. */
export function buildOracle(name: string): Promise<string> {
  let promise = built.get(name);
  if (!promise) {
    promise = build(name);
    built.set(name, promise);
  }
  return promise;
}

async function build(name: string): Promise<string> {
  const src = `${root}tests/oracle/${name}`;
  const out = `${root}.cache/oracle/${name}`;
  const gopath = `${root}.cache/gopath`;
  await Deno.mkdir(`${root}.cache/oracle`, { recursive: true });
  await Deno.mkdir(`${gopath}/cache`, { recursive: true });
  const { code, stderr } = await new Deno.Command("go", {
    args: ["build", "-o", out, "."],
    cwd: src,
    env: {
      GO111MODULE: "off",
      GOPATH: `${gopath}:/usr/share/gocode`,
      GOCACHE: `${gopath}/cache`,
      GOFLAGS: "-mod=mod",
      GOPROXY: "off",
      CGO_ENABLED: "0",
    },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`building the Go oracle ${name} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  return out;
}

/** Runs an oracle with `input` on stdin; returns stdout, or throws with stderr. */
export async function runOracle(name: string, input: string, args: string[] = []): Promise<string> {
  const bin = await buildOracle(name);
  const child = new Deno.Command(bin, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`oracle ${name}: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}
