// OpenPGP commit signatures (detached, ASCII-armoured, over the commit text), as `git commit -S`.
import { GitError } from "./errors.ts";

export async function signWithOpenPgp(
  payload: string,
  armoredKey: string,
  passphrase?: string,
): Promise<{ signature: string }> {
  const openpgp = await import("openpgp");
  let key = await openpgp.readPrivateKey({ armoredKey }).catch((error) => {
    throw new GitError(
      "InvalidSpec",
      "the signing key is not an OpenPGP private key",
      undefined,
      error,
    );
  });
  if (!key.isDecrypted()) {
    if (passphrase === undefined) {
      throw new GitError("InvalidSpec", "the signing key is encrypted and no passphrase was given");
    }
    key = await openpgp.decryptKey({ privateKey: key, passphrase });
  }
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: new TextEncoder().encode(payload) }),
    signingKeys: key,
    detached: true,
    format: "armored",
  });
  return { signature: signature as string };
}
