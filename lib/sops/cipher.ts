// SOPS encrypted values: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<type>]`, sealed
// with the file's data key and, as additional data, the value's key path joined with ":" plus
// a trailing ":" (e.g. `stringData:password:`). Error messages never repeat the value.
import { decodeBase64 } from "./base64.ts";
import { GcmAuthError, type GcmKey } from "./gcm.ts";
import { goAtoi, goParseBool, goParseFloat } from "./go_strconv.ts";
import { macBytes } from "./mac.ts";
import { Comment, type Scalar } from "./tree.ts";

// The same pattern SOPS matches (greedy groups, anchored at the start only).
const ENCRYPTED = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export class CipherError extends Error {
  override readonly name = "CipherError";
  constructor(readonly detail: string) {
    super(detail);
  }
}

export interface EncryptedValue {
  data: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  type: string;
}

export function parseEncryptedValue(text: string): EncryptedValue {
  const m = ENCRYPTED.exec(text);
  if (!m) throw new CipherError("value is not in SOPS's ENC[AES256_GCM,...] format");
  return {
    data: decodeBase64Strict(m[1], "data"),
    iv: decodeBase64Strict(m[2], "iv"),
    tag: decodeBase64Strict(m[3], "tag"),
    type: m[4],
  };
}

export interface DecryptedValue {
  value: Exclude<Scalar, null> | Comment;
  /** What the MAC hashes for this value: the exact plaintext bytes for strings. */
  mac: Uint8Array;
}

/** Decrypts one value; `aad` is the key path as SOPS builds it. */
export async function decryptValue(
  key: GcmKey,
  text: string,
  aad: string,
): Promise<DecryptedValue> {
  // SOPS stores empty values as empty strings, not as ENC[] values.
  if (text === "") return { value: "", mac: new Uint8Array(0) };
  const enc = parseEncryptedValue(text);
  const sealed = new Uint8Array(enc.data.length + enc.tag.length);
  sealed.set(enc.data);
  sealed.set(enc.tag, enc.data.length);
  let plain: Uint8Array;
  try {
    plain = await key.open(enc.iv, sealed, new TextEncoder().encode(aad));
  } catch (e) {
    if (e instanceof GcmAuthError) throw new CipherError(`AES-GCM: ${e.message}`);
    throw e;
  }
  const text8 = new TextDecoder().decode(plain);
  switch (enc.type) {
    case "str":
      return { value: isUtf8(plain) ? text8 : plain, mac: plain };
    case "bytes":
      return { value: plain, mac: plain };
    case "comment":
      return { value: new Comment(text8), mac: plain };
    case "int": {
      const n = goAtoi(text8);
      if (n === undefined) throw new CipherError("decrypted value of type int is not an integer");
      return { value: n, mac: macBytes(n) };
    }
    case "float": {
      const n = goParseFloat(text8);
      if (n === undefined) throw new CipherError("decrypted value of type float is not a number");
      return { value: n, mac: macBytes(n) };
    }
    case "bool": {
      const b = goParseBool(text8);
      if (b === undefined) throw new CipherError("decrypted value of type bool is not a boolean");
      return { value: b, mac: macBytes(b) };
    }
    default:
      throw new CipherError(`unknown value type ${JSON.stringify(enc.type)}`);
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeBase64Strict(text: string, field: string): Uint8Array {
  // Unlike Secret data, an ENC[] field never contains line breaks.
  const bytes = /[\r\n]/.test(text) ? undefined : decodeBase64(text);
  if (!bytes) throw new CipherError(`the ${field} field is not valid base64`);
  return bytes;
}
