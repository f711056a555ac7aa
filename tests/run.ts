// The test command: installs what the suite needs, runs it, prints "N passed, N failed".
// Usage: deno task test [deno test args, e.g. a path or --filter NAME]
import { ensureAptPackages, runSetupScripts } from "./setup/install.ts";
import { summarizeJunit } from "./support/junit.ts";

const root = new URL("..", import.meta.url).pathname;
const args = Deno.args;

await ensureAptPackages(new URL("./setup/apt-packages.txt", import.meta.url).pathname);
await runSetupScripts(new URL("./setup/", import.meta.url).pathname);

const junitPath = `${root}.cache/test-results/junit.xml`;
await Deno.mkdir(`${root}.cache/test-results`, { recursive: true });
const targets = args.length > 0 ? args : ["tests/"];
const test = new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--no-check", "--quiet", `--junit-path=${junitPath}`, ...targets],
  cwd: root,
  stdin: "null",
  stdout: "inherit",
  stderr: "inherit",
});
const { code } = await test.output();

let summary;
try {
  summary = summarizeJunit(await Deno.readTextFile(junitPath));
} catch {
  summary = { passed: 0, failed: 1, skipped: 0 };
  console.error("tests/run.ts: no test report was written; counting the run as failed");
}
if (code !== 0 && summary.failed === 0) summary.failed = 1; // a crash outside any test
const skipped = summary.skipped > 0 ? `, ${summary.skipped} skipped` : "";
console.log(`${summary.passed} passed, ${summary.failed} failed${skipped}`);
Deno.exit(summary.failed > 0 ? 1 : 0);
