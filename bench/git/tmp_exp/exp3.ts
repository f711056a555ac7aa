import { Client } from "ssh2";
import { makeSshKey, startSshd } from "../../../tests/support/sshd.ts";
const dir = await Deno.makeTempDir();
const key = await makeSshKey(dir);
const sshd = await startSshd({ dir, authorizedKeys: [key.publicKey] });
const conn = new Client();
await new Promise<void>((resolve, reject) => {
  conn.on("ready", () => resolve()).on("error", reject).connect({
    host: "127.0.0.1", port: sshd.port, username: sshd.user, privateKey: key.privateKey,
    hostVerifier: (k: Uint8Array) => { console.log("hostkey", k.length); return true; },
  });
});
conn.exec("git-upload-pack '/tmp/benchrepo/big.git'", (err: unknown, stream: any) => {
  if (err) throw err;
  stream.on("data", (d: Uint8Array) => { console.log("data", new TextDecoder().decode(d).slice(0, 200)); stream.write("0000"); stream.end(); });
  stream.stderr.on("data", (d: Uint8Array) => console.log("err", new TextDecoder().decode(d)));
  stream.on("close", (code: number) => { console.log("close", code); conn.end(); sshd.stop(); });
});
