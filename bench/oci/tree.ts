// The inputs of bench/oci: a Git repository of N manifests made by bench/git's generator (so
// the OCI artifact and the Git reference hold the very same files), checked out as a plain
// directory to push; and a tree of incompressible files whose tar+gzip layer is ~`mib` MiB.
import { makeBenchRepo } from "../git/make_repo.ts";

/** Makes `<root>/<name>.git` with `files` manifests in one commit and checks it out to `dir`. */
export async function makeTree(root: string, name: string, files: number, dir: string) {
  const bare = `${root}/${name}.git`;
  await makeBenchRepo(bare, { files, commits: 1 });
  await Deno.mkdir(dir, { recursive: true });
  const archive = await new Deno.Command("sh", {
    args: ["-c", `git --git-dir="${bare}" archive main | tar xf - -C "${dir}"`],
    stderr: "piped",
  }).output();
  if (!archive.success) throw new Error(new TextDecoder().decode(archive.stderr));
}

/** Writes `mib` files of 1 MiB of random bytes (gzip cannot shrink them) below `dir`. */
export async function makeRandomTree(dir: string, mib: number): Promise<void> {
  await Deno.mkdir(`${dir}/blobs`, { recursive: true });
  const chunk = new Uint8Array(65_536);
  for (let i = 0; i < mib; i++) {
    const data = new Uint8Array(1024 * 1024);
    for (let at = 0; at < data.length; at += chunk.length) {
      crypto.getRandomValues(chunk); // at most 64 KiB per call
      data.set(chunk, at);
    }
    await Deno.writeFile(`${dir}/blobs/part-${i}.bin`, data);
  }
}
