// Sprig's hashing and crypto functions. Templates execute synchronously, so these use
// node:crypto's synchronous primitives (hashes, scrypt, AES-CBC, key generation) rather than
// Web Crypto's promises.
import nodeCrypto from "node:crypto";
import { type FuncMap, GoFuncError, GoInt, GoPanic, typed } from "../gotemplate/mod.ts";
import { base64Decode, base64Encode } from "./encoding.ts";
import { bcryptHash } from "./bcrypt.ts";
import { concatBytes } from "./concat_bytes.ts";
import { certFuncs } from "./certs.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function hex(algorithm: string, s: string): string {
  return nodeCrypto.createHash(algorithm).update(encoder.encode(s)).digest("hex");
}

function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of encoder.encode(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

const MASTER_PASSWORD_SEED = "com.lyndir.masterpassword";

// The Master Password algorithm's templates and character classes (its published constants).
const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};

const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

function uint32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}

function derivePassword(
  counter: GoInt,
  type: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = Object.hasOwn(PASSWORD_TEMPLATES, type) ? PASSWORD_TEMPLATES[type] : undefined;
  if (!templates) return `cannot find password template ${type}`;
  const seed = encoder.encode(MASTER_PASSWORD_SEED);
  const userBytes = encoder.encode(user);
  const salt = concatBytes(seed, uint32be(userBytes.length), userBytes);
  const key = nodeCrypto.scryptSync(encoder.encode(password), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 64 * 1024 * 1024,
  });
  const siteBytes = encoder.encode(site);
  const message = concatBytes(
    seed,
    uint32be(siteBytes.length),
    siteBytes,
    uint32be(Number(counter.value)),
  );
  const mac = new Uint8Array(nodeCrypto.createHmac("sha256", key).update(message).digest());
  const template = templates[mac[0] % templates.length];
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const chars = TEMPLATE_CHARACTERS[template[i]];
    out += chars[mac[i + 1] % chars.length];
  }
  return out;
}

function aesKey(password: string): Uint8Array {
  const key = new Uint8Array(32);
  key.set(encoder.encode(password).subarray(0, 32));
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === "") return "";
  const content = encoder.encode(plaintext);
  const padding = 16 - (content.length % 16);
  const padded = concatBytes(content, new Uint8Array(padding).fill(padding));
  const iv = nodeCrypto.randomBytes(16);
  const cipher = nodeCrypto.createCipheriv("aes-256-cbc", aesKey(password), iv);
  cipher.setAutoPadding(false);
  const body = concatBytes(new Uint8Array(cipher.update(padded)), new Uint8Array(cipher.final()));
  return base64Encode(concatBytes(new Uint8Array(iv), body));
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === "") return "";
  let crypt: Uint8Array;
  try {
    crypt = base64Decode(crypt64);
  } catch (e) {
    throw new GoFuncError((e as Error).message);
  }
  if (crypt.length < 16) {
    throw new GoPanic(
      `runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`,
    );
  }
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoPanic("crypto/cipher: input not full blocks");
  if (body.length === 0) throw new GoPanic("runtime error: index out of range [-1]");
  const decipher = nodeCrypto.createDecipheriv(
    "aes-256-cbc",
    aesKey(password),
    crypt.subarray(0, 16),
  );
  decipher.setAutoPadding(false);
  const plain = concatBytes(
    new Uint8Array(decipher.update(body)),
    new Uint8Array(decipher.final()),
  );
  const cut = plain.length - plain[plain.length - 1];
  if (cut < 0) throw new GoPanic(`runtime error: slice bounds out of range [:${cut}]`);
  return decoder.decode(plain.subarray(0, cut));
}

/** genPrivateKey: PEM of a new key, in the encodings Go's x509 package writes. */
export function generatePrivateKey(type: string): string {
  switch (type) {
    case "":
    case "rsa":
      return nodeCrypto.generateKeyPairSync("rsa", {
        modulusLength: 4096,
        publicKeyEncoding: { type: "pkcs1", format: "pem" },
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
      }).privateKey;
    case "ecdsa":
      return nodeCrypto.generateKeyPairSync("ec", {
        namedCurve: "prime256v1",
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "sec1", format: "pem" },
      }).privateKey;
    case "ed25519":
      return nodeCrypto.generateKeyPairSync("ed25519", {
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      }).privateKey;
    case "dsa":
      return "failed to generate dsa params: DSA keys are not supported by skiff";
  }
  return "Unknown type " + type;
}

function uuidv4(): string {
  return crypto.randomUUID();
}

export const cryptoFuncs: FuncMap = {
  sha1sum: typed(["string"], (s: string) => hex("sha1", s)),
  sha256sum: typed(["string"], (s: string) => hex("sha256", s)),
  adler32sum: typed(["string"], adler32),
  bcrypt: typed(["string"], (s: string) => bcryptHash(s)),
  htpasswd: typed(["string", "string"], (user: string, password: string) => {
    if (user.includes(":")) return `invalid username: ${user}`;
    return `${user}:${bcryptHash(password)}`;
  }),
  derivePassword: typed(["uint32", "string", "string", "string", "string"], derivePassword),
  encryptAES: typed(["string", "string"], encryptAES),
  decryptAES: typed(["string", "string"], decryptAES),
  genPrivateKey: typed(["string"], generatePrivateKey),
  randBytes: typed(["int"], (n: bigint) => {
    if (n < 0n) throw new GoPanic("runtime error: makeslice: len out of range");
    return base64Encode(new Uint8Array(nodeCrypto.randomBytes(Number(n))));
  }),
  uuidv4: typed([], uuidv4),
  ...certFuncs,
};
