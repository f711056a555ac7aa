// Builds a Go program offline in GOPATH mode against Debian's Go libraries, once per run, and
// runs it. Oracles live in tests/oracle/<name>/; other programs (a fixture's) name their folder.
// Binaries are cached under .cache/oracle/.
const root = new URL("../../", import.meta.url).pathname;

const built = new Map<string, Promise<string>>();

/** Builds tests/oracle/<name> and returns the path of the binary. */
export function buildOracle(name: string): Promise<string> {
  return buildGoProgram(`${root}tests/oracle/${name}`, name);
}

/**
 * Builds the Go program in the folder `src` (absolute; with a one-line `module oracle` go.mod)
 * as .cache/oracle/<name>, once per run, and returns the path of the binary.
 */
export function buildGoProgram(src: string, name: string): Promise<string> {
  let promise = built.get(name);
  if (!promise) {
    promise = build(src, name);
    built.set(name, promise);
  }
  return promise;
}

async function build(src: string, name: string): Promise<string> {
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
    throw new Error(`building the Go program ${name} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  return out;
}

/** Runs an oracle with `input` on stdin; returns stdout, or throws with stderr. */
export async function runOracle(name: string, input: string, args: string[] = []): Promise<string> {
  return runGoProgram(await buildOracle(name), input, args, `oracle ${name}`);
}

/**
 * Runs a built program with `input` on stdin; returns stdout, or throws with stderr after
 * `label` (default: the program's name and arguments).
 */
export async function runGoProgram(
  bin: string,
  input: string,
  args: string[] = [],
  label = [bin.slice(bin.lastIndexOf("/") + 1), ...args].join(" "),
): Promise<string> {
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
  if (code !== 0) throw new Error(`${label}: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}
