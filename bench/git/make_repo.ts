// Builds the benchmark repository with `git fast-import` (seconds instead of minutes): the first
// commit adds `files` YAML files spread over directories, each later commit edits one file.
export async function makeBenchRepo(
  bare: string,
  { files = 10_000, commits = 5_000 }: { files?: number; commits?: number } = {},
): Promise<void> {
  await Deno.mkdir(bare, { recursive: true });
  await run(bare, ["init", "--bare", "--quiet", "--initial-branch=main"]);
  const child = new Deno.Command("git", {
    args: ["fast-import", "--quiet"],
    cwd: bare,
    stdin: "piped",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  const chunks: string[] = [];
  const flush = async () => {
    await writer.write(encoder.encode(chunks.join("")));
    chunks.length = 0;
  };
  const data = (text: string) => `data ${encoder.encode(text).length}\n${text}\n`;
  let time = 1_700_000_000;
  for (let c = 0; c < commits; c++) {
    time += 60;
    chunks.push(
      `commit refs/heads/main\n` +
        `committer Bench <bench@example.com> ${time} +0000\n` +
        data(c === 0 ? "initial" : `edit ${c}`),
    );
    if (c === 0) {
      for (let f = 0; f < files; f++) {
        chunks.push(`M 100644 inline ${path(f)}\n` + data(body(f, 0)));
      }
    } else {
      const f = (c * 7919) % files;
      chunks.push(`M 100644 inline ${path(f)}\n` + data(body(f, c)));
    }
    chunks.push("\n");
    if (chunks.length > 2000) await flush();
  }
  await flush();
  await writer.close();
  const status = await child.status;
  if (!status.success) throw new Error("git fast-import failed");
  await run(bare, ["gc", "--quiet"]);
}

function path(f: number): string {
  return `apps/team-${f % 50}/service-${Math.floor(f / 50) % 40}/manifest-${f}.yaml`;
}

function body(f: number, version: number): string {
  const lines = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: service-${f}`,
    `  namespace: team-${f % 50}`,
    `  annotations: { revision: "${version}" }`,
    "spec:",
    "  replicas: 2",
    "  template:",
    "    spec:",
    "      containers:",
  ];
  for (let i = 0; i < 8; i++) {
    lines.push(
      `        - name: c${i}`,
      `          image: registry.example.com/team/app-${f}-${i}:1.${version}.${i}`,
    );
  }
  return lines.join("\n") + "\n";
}

async function run(cwd: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command("git", { args, cwd, stderr: "piped" }).output();
  if (code !== 0) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
}

if (import.meta.main) {
  const [dir] = Deno.args;
  const t = performance.now();
  await makeBenchRepo(dir);
  console.log(`built ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
