import git from "isomorphic-git";
import http from "isomorphic-git/http/node";
import fs from "node:fs";
import { startGitServer } from "/work/main/tests/support/git_server.ts";

const server = await startGitServer({ root: "/tmp/benchrepo" });
const url = server.url("big");
let t = performance.now();
const out = await new Deno.Command("git", { args: ["clone", "--quiet", "--depth", "1", url, "/tmp/exp/gitclone"] }).output();
console.log("git clone", (performance.now() - t).toFixed(0), out.code);
await Deno.remove("/tmp/exp/gitclone", { recursive: true });
t = performance.now();
const gitdir = "/tmp/exp/iso.git";
await Deno.remove(gitdir, { recursive: true }).catch(() => {});
await git.init({ fs, gitdir, bare: true }); await git.addRemote({ fs, gitdir, remote: "origin", url });
const cache = {};
const r = await git.fetch({ fs, http, gitdir, remote: "origin", ref: "main", singleBranch: true, depth: 1, tags: false, cache });
console.log("iso fetch", (performance.now() - t).toFixed(0), r.fetchHead);
t = performance.now();
let n = 0;
async function walk(oid: string, prefix: string) {
  const { tree } = await git.readTree({ fs, gitdir, oid, cache });
  for (const e of tree) {
    if (e.type === "tree") await walk(e.oid, prefix + e.path + "/");
    else { const { blob } = await git.readBlob({ fs, gitdir, oid: e.oid, cache }); n += blob.length; }
  }
}
await walk(r.fetchHead!, "");
console.log("iso read all blobs", (performance.now() - t).toFixed(0), n);
t = performance.now();
const refs = await git.listServerRefs({ http, url });
console.log("ls-remote", (performance.now() - t).toFixed(0), refs.length);
t = performance.now();
const refs2 = await git.listServerRefs({ http, url });
console.log("ls-remote2", (performance.now() - t).toFixed(0), refs2.length);
await server.stop();
