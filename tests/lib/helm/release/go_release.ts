// Builds and runs tests/fixtures/helmrelease/go-release: Helm's release structs in Go, used to
// check that release bodies skiff writes decode strictly the way Helm decodes them.
const root = new URL("../../../../", import.meta.url).pathname;
let built: Promise<string> | undefined;

function build(): Promise<string> {
  built ??= (async () => {
    const gopath = `${root}.cache/gopath`;
    const out = `${root}.cache/oracle/go-release`;
    await Deno.mkdir(`${gopath}/cache`, { recursive: true });
    await Deno.mkdir(`${root}.cache/oracle`, { recursive: true });
    const { code, stderr } = await new Deno.Command("go", {
      args: ["build", "-o", out, "."],
      cwd: `${root}tests/fixtures/helmrelease/go-release`,
      env: {
        GO111MODULE: "off",
        GOPATH: `${gopath}:/usr/share/gocode`,
        GOCACHE: `${gopath}/cache`,
        GOPROXY: "off",
        CGO_ENABLED: "0",
      },
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`go build go-release: ${new TextDecoder().decode(stderr)}`);
    return out;
  })();
  return built;
}

/** Runs go-release in a mode ("decode" | "encode") with stdin; returns stdout. */
export async function goRelease(mode: "decode" | "encode", input: string): Promise<string> {
  const child = new Deno.Command(await build(), {
    args: [mode],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`go-release ${mode}: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}
