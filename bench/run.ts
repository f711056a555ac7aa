// `deno task bench [part...]`: runs each benchmark runner bench/<part>/main.ts in turn (each prints
// its own numbers and the ratio against its reference, measured in the same run).
const benchDir = new URL(".", import.meta.url).pathname;
const wanted = new Set(Deno.args);
const parts: string[] = [];
for await (const entry of Deno.readDir(benchDir)) {
  if (!entry.isDirectory || (wanted.size > 0 && !wanted.has(entry.name))) continue;
  try {
    await Deno.stat(`${benchDir}${entry.name}/main.ts`);
    parts.push(entry.name);
  } catch {
    // a folder of inputs without a runner
  }
}
let failed = 0;
for (const part of parts.sort()) {
  console.log(`\n== bench/${part}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${benchDir}${part}/main.ts`],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) failed++;
}
Deno.exit(failed > 0 ? 1 : 0);
