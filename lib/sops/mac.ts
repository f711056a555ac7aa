// The SOPS MAC: SHA-512 over the plaintext bytes of every leaf value in tree order (comments
// excluded), printed as upper-case hex and stored encrypted under the `lastmodified` time.
// With `mac_only_encrypted`, only encrypted values count and a fixed prefix keeps such MACs
// distinct from full ones.
import { goFormatFloat } from "./go_strconv.ts";
import type { Scalar } from "./tree.ts";

/** sha256("sops"), the prefix SOPS hashes first when `mac_only_encrypted` is set. */
const MAC_ONLY_ENCRYPTED_PREFIX = Uint8Array.from([
  0x8a,
  0x3f,
  0xd2,
  0xad,
  0x54,
  0xce,
  0x66,
  0x52,
  0x7b,
  0x10,
  0x34,
  0xf3,
  0xd1,
  0x47,
  0xbe,
  0x0b,
  0x0b,
  0x97,
  0x5b,
  0x3b,
  0xf4,
  0x4f,
  0x72,
  0xc6,
  0xfd,
  0xad,
  0xec,
  0x81,
  0x76,
  0xf2,
  0x7d,
  0x69,
]);

const encoder = new TextEncoder();

/** The bytes SOPS hashes for a value (its Go `ToBytes`). */
export function macBytes(value: Exclude<Scalar, null>): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return encoder.encode(value);
  if (typeof value === "boolean") return encoder.encode(value ? "True" : "False");
  return encoder.encode(goFormatFloat(value));
}

/** Accumulates MAC input; Web Crypto has no incremental SHA-512, so chunks are kept. */
export class MacHasher {
  #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(macOnlyEncrypted: boolean) {
    if (macOnlyEncrypted) this.add(MAC_ONLY_ENCRYPTED_PREFIX);
  }

  add(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#size += bytes.length;
  }

  async hexDigest(): Promise<string> {
    const all = new Uint8Array(this.#size);
    let off = 0;
    for (const c of this.#chunks) {
      all.set(c, off);
      off += c.length;
    }
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", all));
    return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  }
}
