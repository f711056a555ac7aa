// age identities (X25519 `AGE-SECRET-KEY-1...` and post-quantum `AGE-SECRET-KEY-PQ-1...`) and
// unwrapping a SOPS data key wrapped for an age recipient, via the age-encryption package.
// age-encryption loads when an age key is first used, not with lib/sops.
type AgeModule = typeof import("age-encryption");
let ageModule: Promise<AgeModule> | undefined;
function loadAge(): Promise<AgeModule> {
  ageModule ??= import("age-encryption");
  return ageModule;
}

export class AgeKeyError extends Error {
  override readonly name = "AgeKeyError";
  constructor(readonly detail: string) {
    super(detail);
  }
}

export interface AgeIdentity {
  /** The secret identity string; never logged. */
  secret: string;
  /** Its public recipient (`age1...`), used to match SOPS stanzas and in messages. */
  recipient: string;
}

/**
 * Parses an identity file as age does: one identity per line, blank lines and `#` comments
 * ignored. Errors name the line, never its content.
 */
export async function parseAgeIdentities(text: string): Promise<AgeIdentity[]> {
  const age = await loadAge();
  const out: AgeIdentity[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    if (!/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(line)) {
      const hint = line.startsWith("AGE-PLUGIN-")
        ? "age plugin identities are not supported"
        : line.startsWith("-----BEGIN")
        ? "SSH and PEM keys are not supported as age identities"
        : "expected an AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1... identity";
      throw new AgeKeyError(`line ${i + 1}: ${hint}`);
    }
    try {
      out.push({ secret: line, recipient: await age.identityToRecipient(line) });
    } catch {
      throw new AgeKeyError(`line ${i + 1}: the identity is malformed (bad checksum or length)`);
    }
  }
  if (out.length === 0) throw new AgeKeyError("no age identity found");
  return out;
}

/** Unwraps an armored age file (a SOPS `enc` field) with any of the identities. */
export async function ageUnwrap(
  identities: readonly AgeIdentity[],
  armored: string,
): Promise<Uint8Array> {
  const age = await loadAge();
  let file: Uint8Array;
  try {
    file = age.armor.decode(armored.trim() + "\n");
  } catch {
    throw new AgeKeyError("the wrapped data key is not a valid armored age file");
  }
  const d = new age.Decrypter();
  for (const id of identities) d.addIdentity(id.secret);
  try {
    return await d.decrypt(file, "uint8array");
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new AgeKeyError(/no identity matched/i.test(msg) ? "no identity matched" : msg);
  }
}

/** Wraps data for age recipients (ASCII-armored), for tests and tooling. */
export async function ageWrap(recipients: readonly string[], data: Uint8Array): Promise<string> {
  const age = await loadAge();
  const e = new age.Encrypter();
  for (const r of recipients) e.addRecipient(r);
  return age.armor.encode(await e.encrypt(data));
}
