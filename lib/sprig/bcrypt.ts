// bcrypt ($2a$, cost 10 as Go's bcrypt.DefaultCost) for Sprig's bcrypt and htpasswd. Blowfish's
// initial state is the hexadecimal expansion of pi, computed here once instead of tabulated.
import nodeCrypto from "node:crypto";

const WORDS = 18 + 4 * 256;

let piWords: Uint32Array | undefined;

/** The first 1042 32-bit words of pi's fractional hex digits (Blowfish's P-array and S-boxes). */
function piFraction(): Uint32Array {
  if (piWords) return piWords;
  const bits = BigInt(WORDS * 32 + 64);
  const one = 1n << bits;
  // Machin: pi = 16·atan(1/5) − 4·atan(1/239), in fixed point with `bits` fraction bits.
  const atanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k / 2n) % 2n === 0n ? 1n : -1n) * (term / k);
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  const frac = pi - 3n * one;
  const words = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) {
    words[i] = Number((frac >> (bits - BigInt(32 * (i + 1)))) & 0xffffffffn);
  }
  piWords = words;
  return words;
}

class Blowfish {
  p: Uint32Array;
  s: Uint32Array;

  constructor() {
    const init = piFraction();
    this.p = init.slice(0, 18);
    this.s = init.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return (((s[x >>> 24] + s[256 + ((x >>> 16) & 0xff)]) ^ s[512 + ((x >>> 8) & 0xff)]) +
      s[768 + (x & 0xff)]) >>> 0;
  }

  encrypt(l: number, r: number): [number, number] {
    const p = this.p;
    l = (l ^ p[0]) >>> 0;
    for (let i = 1; i <= 16; i += 2) {
      r = (r ^ this.f(l) ^ p[i]) >>> 0;
      l = (l ^ this.f(r) ^ p[i + 1]) >>> 0;
    }
    r = (r ^ p[17]) >>> 0;
    return [r, l];
  }

  /** ExpandKey, and with a salt, expandKeyWithSalt. */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    let j = 0;
    const nextKey = () => {
      let d = 0;
      for (let k = 0; k < 4; k++) {
        d = ((d << 8) | key[j]) >>> 0;
        j = (j + 1) % key.length;
      }
      return d;
    };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i] ^ nextKey()) >>> 0;
    let sj = 0;
    const nextSalt = () => {
      if (!salt) return 0;
      let d = 0;
      for (let k = 0; k < 4; k++) {
        d = ((d << 8) | salt[sj]) >>> 0;
        sj = (sj + 1) % salt.length;
      }
      return d;
    };
    let l = 0;
    let r = 0;
    const fill = (arr: Uint32Array) => {
      for (let i = 0; i < arr.length; i += 2) {
        l = (l ^ nextSalt()) >>> 0;
        r = (r ^ nextSalt()) >>> 0;
        [l, r] = this.encrypt(l, r);
        arr[i] = l;
        arr[i + 1] = r;
      }
    };
    fill(this.p);
    fill(this.s);
  }
}

const ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function bcryptBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** A bcrypt hash of `password` with a random salt: `$2a$10$...`. */
export function bcryptHash(password: string, cost = 10, salt?: Uint8Array): string {
  const s = salt ?? new Uint8Array(nodeCrypto.randomBytes(16));
  const pw = new TextEncoder().encode(password);
  const key = new Uint8Array(Math.min(pw.length, 72) + 1);
  key.set(pw.subarray(0, 72));
  const bf = new Blowfish();
  bf.expand(key, s);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key);
    bf.expand(s);
  }
  const magic = new TextEncoder().encode("OrpheanBeholderScryDoubt");
  const view = new DataView(magic.buffer);
  for (let i = 0; i < 24; i += 8) {
    let l = view.getUint32(i);
    let r = view.getUint32(i + 4);
    for (let j = 0; j < 64; j++) [l, r] = bf.encrypt(l, r);
    view.setUint32(i, l);
    view.setUint32(i + 4, r);
  }
  return `$2a$${String(cost).padStart(2, "0")}$${bcryptBase64(s)}${
    bcryptBase64(magic.subarray(0, 23))
  }`;
}
