// AES-256-GCM opening for any nonce length. SOPS seals values with 32-byte nonces (Go's
// cipher.NewGCMWithNonceSize), which GCM allows but Web Crypto implementations refuse (Deno
// accepts 12 and 16 bytes only). GCM is AES-CTR plus GHASH, so this keeps AES itself in Web
// Crypto (AES-CTR with a 32-bit counter is exactly GCM's inc32) and adds only GHASH, the
// GF(2^128) hash that derives the initial counter from a long nonce and authenticates.

const BLOCK = 16;

export class GcmAuthError extends Error {
  override readonly name = "GcmAuthError";
  constructor() {
    super("message authentication failed (wrong key, or the value or its key path was changed)");
  }
}

/** An AES-256 key prepared for GCM opening. */
export class GcmKey {
  #ctr: CryptoKey;
  #gcm: CryptoKey;
  #h: Promise<Uint32Array> | undefined;

  private constructor(ctr: CryptoKey, gcm: CryptoKey) {
    this.#ctr = ctr;
    this.#gcm = gcm;
  }

  static async import(raw: Uint8Array): Promise<GcmKey> {
    if (raw.length !== 32) throw new Error(`data key is ${raw.length} bytes, expected 32`);
    const bytes = new Uint8Array(raw);
    const ctr = await crypto.subtle.importKey("raw", bytes, "AES-CTR", false, ["encrypt"]);
    const gcm = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["decrypt"]);
    return new GcmKey(ctr, gcm);
  }

  /**
   * Verifies and decrypts `ciphertext || tag` (16-byte tag). Throws GcmAuthError when the tag
   * does not verify; nothing is decrypted in that case.
   */
  async open(nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    if (sealed.length < BLOCK) throw new GcmAuthError();
    if (nonce.length === 12) {
      // The common case Web Crypto handles natively.
      try {
        return new Uint8Array(
          await crypto.subtle.decrypt(
            { name: "AES-GCM", iv: new Uint8Array(nonce), additionalData: new Uint8Array(aad) },
            this.#gcm,
            new Uint8Array(sealed),
          ),
        );
      } catch {
        throw new GcmAuthError();
      }
    }
    if (nonce.length === 0) throw new GcmAuthError();
    const h = await this.#hashKey();
    const ciphertext = sealed.subarray(0, sealed.length - BLOCK);
    const tag = sealed.subarray(sealed.length - BLOCK);
    // J0 = GHASH(nonce || padding || 0^64 || bitlen(nonce)), as GCM specifies for non-96-bit nonces.
    const j0 = ghash(h, [nonce, lengthBlock(0, nonce.length)]);
    const s = ghash(h, [aad, ciphertext, lengthBlock(aad.length, ciphertext.length)]);
    const mask = await this.#aesBlock(j0);
    let diff = 0;
    for (let i = 0; i < BLOCK; i++) diff |= (mask[i] ^ s[i]) ^ tag[i];
    if (diff !== 0) throw new GcmAuthError();
    if (ciphertext.length === 0) return new Uint8Array(0);
    const counter = new Uint8Array(inc32(j0));
    return new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-CTR", counter, length: 32 },
        this.#ctr,
        new Uint8Array(ciphertext),
      ),
    );
  }

  /** AES_K(block), via CTR mode over one zero block. */
  async #aesBlock(block: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-CTR", counter: new Uint8Array(block), length: 32 },
        this.#ctr,
        new Uint8Array(BLOCK),
      ),
    );
  }

  #hashKey(): Promise<Uint32Array> {
    this.#h ??= this.#aesBlock(new Uint8Array(BLOCK)).then(toWords);
    return this.#h;
  }
}

function lengthBlock(aadBytes: number, dataBytes: number): Uint8Array {
  const out = new Uint8Array(BLOCK);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(aadBytes) * 8n);
  view.setBigUint64(8, BigInt(dataBytes) * 8n);
  return out;
}

function inc32(block: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(block);
  const view = new DataView(out.buffer);
  view.setUint32(12, (view.getUint32(12) + 1) >>> 0);
  return out;
}

function toWords(block: Uint8Array): Uint32Array {
  const view = new DataView(block.buffer, block.byteOffset, BLOCK);
  return Uint32Array.of(
    view.getUint32(0),
    view.getUint32(4),
    view.getUint32(8),
    view.getUint32(12),
  );
}

/** GHASH over the concatenation of `parts`, each zero-padded to a whole block. */
function ghash(h: Uint32Array, parts: Uint8Array[]): Uint8Array {
  const y = new Uint32Array(4);
  const block = new Uint8Array(BLOCK);
  const view = new DataView(block.buffer);
  for (const part of parts) {
    for (let off = 0; off < part.length; off += BLOCK) {
      block.fill(0);
      block.set(part.subarray(off, Math.min(off + BLOCK, part.length)));
      for (let w = 0; w < 4; w++) y[w] ^= view.getUint32(w * 4);
      gfMultiply(y, h);
    }
  }
  const out = new Uint8Array(BLOCK);
  const outView = new DataView(out.buffer);
  for (let w = 0; w < 4; w++) outView.setUint32(w * 4, y[w]);
  return out;
}

/** x = x · h in GF(2^128) with GCM's reflected bit order (NIST SP 800-38D, algorithm 1). */
function gfMultiply(x: Uint32Array, h: Uint32Array): void {
  let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
  let v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3];
  for (let i = 0; i < 128; i++) {
    if ((x[i >>> 5] >>> (31 - (i & 31))) & 1) {
      z0 ^= v0;
      z1 ^= v1;
      z2 ^= v2;
      z3 ^= v3;
    }
    const lsb = v3 & 1;
    v3 = ((v3 >>> 1) | (v2 << 31)) >>> 0;
    v2 = ((v2 >>> 1) | (v1 << 31)) >>> 0;
    v1 = ((v1 >>> 1) | (v0 << 31)) >>> 0;
    v0 = v0 >>> 1;
    if (lsb) v0 = (v0 ^ 0xe1000000) >>> 0;
  }
  x[0] = z0 >>> 0;
  x[1] = z1 >>> 0;
  x[2] = z2 >>> 0;
  x[3] = z3 >>> 0;
}
