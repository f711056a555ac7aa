// Debian's OpenSSH server on a loopback port for tests: a throwaway host key, key-only login
// for the current user (root on CI), git-upload-pack/receive-pack available through the shell.
//
//   const keys = await makeSshKey(dir);
//   const sshd = await startSshd({ dir, authorizedKeys: [keys.publicKey] });
//   url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${bareRepoPath}`, known_hosts: sshd.knownHosts
import { freePort, waitForPort } from "./process.ts";

export interface SshKeyPair {
  privateKey: string;
  publicKey: string;
}

/** Makes a key pair with ssh-keygen (OpenSSH format); `passphrase` encrypts the private key. */
export async function makeSshKey(
  dir: string,
  options: { type?: "ed25519" | "rsa" | "ecdsa"; passphrase?: string; name?: string } = {},
): Promise<SshKeyPair> {
  const type = options.type ?? "ed25519";
  const path = `${dir}/${options.name ?? `id_${type}`}`;
  const args = ["-q", "-t", type, "-N", options.passphrase ?? "", "-C", "skiff-test", "-f", path];
  if (type === "rsa") args.push("-b", "2048");
  const { code, stderr } = await new Deno.Command("ssh-keygen", { args, stderr: "piped" })
    .output();
  if (code !== 0) throw new Error(`ssh-keygen: ${new TextDecoder().decode(stderr)}`);
  return {
    privateKey: await Deno.readTextFile(path),
    publicKey: (await Deno.readTextFile(`${path}.pub`)).trim(),
  };
}

export interface Sshd {
  port: number;
  /** The login user (the user running the tests). */
  user: string;
  /** A known_hosts line for this server's host key ("[127.0.0.1]:PORT ssh-ed25519 AAAA..."). */
  knownHosts: string;
  /** The host public key ("ssh-ed25519 AAAA..."). */
  hostPublicKey: string;
  stop(): Promise<void>;
}

export async function startSshd(options: { dir: string; authorizedKeys: string[] }): Promise<Sshd> {
  const dir = options.dir;
  // sshd refuses to start without its privilege separation directory.
  await Deno.mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const hostKey = await makeSshKey(dir, { name: "ssh_host_ed25519_key" });
  await Deno.writeTextFile(`${dir}/authorized_keys`, options.authorizedKeys.join("\n") + "\n");
  const port = freePort();
  const user = Deno.env.get("USER") ?? "root";
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${dir}/ssh_host_ed25519_key`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "StrictModes no",
    "UsePAM no",
    `PidFile ${dir}/sshd.pid`,
    "LogLevel ERROR",
  ].join("\n");
  await Deno.writeTextFile(`${dir}/sshd_config`, config + "\n");
  const child = new Deno.Command("/usr/sbin/sshd", {
    args: ["-D", "-e", "-f", `${dir}/sshd_config`],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitForPort(port);
  } catch (error) {
    child.kill("SIGTERM");
    await child.status;
    throw error;
  }
  const [type, key] = hostKey.publicKey.split(" ");
  return {
    port,
    user,
    hostPublicKey: `${type} ${key}`,
    knownHosts: `[127.0.0.1]:${port} ${type} ${key}`,
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
