import { fetchGitArtifact } from "../../../lib/git/mod.ts";
import { startGitServer } from "../../../tests/support/git_server.ts";
const server = await startGitServer({ root: "/tmp/benchrepo" });
const url = server.url("big");
for (let i = 0; i < 2; i++) {
  await Deno.remove("/tmp/exp/gitclone", { recursive: true }).catch(() => {});
  let t = performance.now();
  await new Deno.Command("git", { args: ["clone", "--quiet", "--depth", "1", url, "/tmp/exp/gitclone"] }).output();
  console.log("git clone", (performance.now() - t).toFixed(0));
  await Deno.remove("/tmp/exp/cache", { recursive: true }).catch(() => {});
  t = performance.now();
  const a = await fetchGitArtifact({ url, ref: { branch: "main" } }, "/tmp/exp/cache");
  console.log("skiff", (performance.now() - t).toFixed(0), a.files);
  t = performance.now();
  await fetchGitArtifact({ url, ref: { branch: "main" } }, "/tmp/exp/cache");
  console.log("skiff poll", (performance.now() - t).toFixed(0));
}
await server.stop();
