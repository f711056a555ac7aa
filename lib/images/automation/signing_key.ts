// spec.git.commit.signingKey: the Secret holds an ASCII-armoured OpenPGP private key in
// `git.asc` and, when the key is protected, its `passphrase` (Flux's field names).

export interface SigningKey {
  armored: string;
  passphrase?: string;
}

export class SigningKeyError extends Error {
  override readonly name = "SigningKeyError";
  constructor(readonly secret: string, readonly reason: string) {
    super(`spec.git.commit.signingKey: Secret ${secret}: ${reason}`);
  }
}

/** The signing key from the Secret's (decoded) data; `secret` names it in errors. */
export function signingKeyFromSecret(data: Record<string, string>, secret: string): SigningKey {
  const armored = data["git.asc"];
  if (!armored) {
    throw new SigningKeyError(secret, "has no 'git.asc' (an ASCII-armoured OpenPGP private key)");
  }
  if (!armored.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
    throw new SigningKeyError(secret, "'git.asc' is not an ASCII-armoured OpenPGP private key");
  }
  return data.passphrase ? { armored, passphrase: data.passphrase } : { armored };
}
