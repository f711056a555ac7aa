// Sprig's base64/base32 functions with Go's strict decoders: a decoding error is returned as
// the function's result text (Sprig does that), e.g. "illegal base64 data at input byte 4".
import { type FuncMap, typed } from "../gotemplate/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? B64[n & 63] : "=";
  }
  return out;
}

class CorruptInput extends Error {
  constructor(readonly offset: number, kind: string) {
    super(`illegal ${kind} data at input byte ${offset}`);
  }
}

/** Go's StdEncoding.DecodeString: newlines ignored, padding required, strict trailing bits
 * not checked (Go's default). */
function decodeBase(s: string, alphabet: string, bitsPer: number, kind: string): Uint8Array {
  const groupChars = bitsPer === 6 ? 4 : 8;
  const out: number[] = [];
  const chars: { c: string; pos: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\n" && s[i] !== "\r") chars.push({ c: s[i], pos: i });
  }
  for (let g = 0; g < chars.length; g += groupChars) {
    const group = chars.slice(g, g + groupChars);
    let bits = 0;
    let nbits = 0;
    let dataLen = group.length;
    for (let j = 0; j < group.length; j++) {
      const { c, pos } = group[j];
      if (c === "=") {
        dataLen = j;
        // Everything after the first '=' in the group must be '=' and the input must end.
        const validPad = bitsPer === 6 ? j >= 2 : [2, 4, 5, 7].includes(j);
        if (!validPad) throw new CorruptInput(pos, kind);
        for (let k = j; k < groupChars; k++) {
          if (k >= group.length) throw new CorruptInput(s.length, kind);
          if (group[k].c !== "=") throw new CorruptInput(group[k].pos, kind);
        }
        if (g + groupChars < chars.length) throw new CorruptInput(chars[g + groupChars].pos, kind);
        break;
      }
      const v = alphabet.indexOf(c);
      if (v < 0) throw new CorruptInput(pos, kind);
      bits = bits * (1 << bitsPer) + v;
      nbits += bitsPer;
    }
    if (dataLen === group.length && group.length < groupChars) {
      // Missing padding: Go reports where the incomplete group starts.
      throw new CorruptInput(group[0].pos, kind);
    }
    if (bitsPer === 6 && dataLen === 1) throw new CorruptInput(group[0].pos, kind);
    const nbytes = Math.floor(nbits / 8);
    const extra = nbits - nbytes * 8;
    let value = BigInt(bits) >> BigInt(extra);
    const bytes: number[] = [];
    for (let k = 0; k < nbytes; k++) {
      bytes.unshift(Number(value & 0xffn));
      value >>= 8n;
    }
    out.push(...bytes);
  }
  return new Uint8Array(out);
}

export function base64Decode(s: string): Uint8Array {
  return decodeBase(s, B64, 6, "base64");
}

function base32Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : "=";
    }
  }
  return out;
}

function decodeOrMessage(f: () => Uint8Array): string {
  try {
    return decoder.decode(f());
  } catch (e) {
    if (e instanceof CorruptInput) return e.message;
    throw e;
  }
}

export const encodingFuncs: FuncMap = {
  b64enc: typed(["string"], (s: string) => base64Encode(encoder.encode(s))),
  b64dec: typed(["string"], (s: string) => decodeOrMessage(() => base64Decode(s))),
  b32enc: typed(["string"], (s: string) => base32Encode(encoder.encode(s))),
  b32dec: typed(["string"], (s: string) => decodeOrMessage(() => decodeBase(s, B32, 5, "base32"))),
};
