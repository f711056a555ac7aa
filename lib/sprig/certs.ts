// Sprig's certificate functions: genCA, genSelfSignedCert, genSignedCert, buildCustomCert and
// the *WithKey forms. Certificates are written as Go's x509.CreateCertificate writes them
// (same extensions, serial numbers of up to 128 random bits, RSA 2048 keys) and signed with
// node:crypto's synchronous signing.
import nodeCrypto from "node:crypto";
import { type FuncMap, GoFuncError, GoInt, isPlainMap, typed } from "../gotemplate/mod.ts";
import { base64Decode } from "./encoding.ts";
import * as der from "./der.ts";

/** Sprig's `certificate` struct: fields Cert and Key (PEM). */
export class Certificate {
  static goType = "sprig.certificate";
  constructor(readonly Cert: string, readonly Key: string) {}
}

const OID = {
  commonName: "2.5.4.3",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  ed25519: "1.3.101.112",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  basicConstraints: "2.5.29.19",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

function pem(type: string, bytes: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...bytes));
  return `-----BEGIN ${type}-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END ${type}-----\n`;
}

function pemBody(text: string, type?: string): Uint8Array | undefined {
  const m = /-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m || (type && m[1] !== type)) return undefined;
  return base64Decode(m[2].replace(/\s+/g, ""));
}

/** Go's parsePrivateKeyPEM: PKCS#1 RSA, SEC1 EC, or PKCS#8. */
function parsePrivateKey(text: string): nodeCrypto.KeyObject {
  const m = /-----BEGIN ([A-Z ]+)-----/.exec(text);
  if (!m) throw new GoFuncError("no PEM data in input");
  try {
    return nodeCrypto.createPrivateKey(text);
  } catch {
    throw new GoFuncError(`unsupported key type or invalid key: ${m[1]}`);
  }
}

function keyPem(key: nodeCrypto.KeyObject): string {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return key.export({ type: "pkcs1", format: "pem" }) as string;
    case "ec":
      return key.export({ type: "sec1", format: "pem" }) as string;
  }
  return key.export({ type: "pkcs8", format: "pem" }) as string;
}

function name(cn: string): der.Der {
  if (cn === "") return der.seq();
  const value = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn) ? der.printable(cn) : der.utf8(cn);
  return der.seq(der.set(der.seq(der.oid(OID.commonName), value)));
}

function extension(id: string, critical: boolean, value: der.Der): der.Der {
  return critical
    ? der.seq(der.oid(id), der.bool(true), der.octets(value))
    : der.seq(der.oid(id), der.octets(value));
}

/** KeyUsage as a minimal DER BIT STRING (bit 0 is the most significant bit of byte 0). */
function keyUsage(bits: number[]): der.Der {
  let value = 0;
  for (const b of bits) value |= 0x80 >> b;
  let unused = 0;
  while (unused < 8 && !(value & (1 << unused))) unused++;
  return der.bitString(Uint8Array.of(value), unused);
}

function parseIP(ip: string): Uint8Array | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const parts = ip.split(".").map(Number);
    return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : undefined;
  }
  if (!ip.includes(":")) return undefined;
  const [head, tail] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function strings(list: unknown[] | null, what: string): string[] {
  return (list ?? []).map((v) => {
    if (typeof v !== "string") {
      throw new GoFuncError(`${what}: ${v === null ? "<nil>" : String(v)} is not a string`);
    }
    return v;
  });
}

interface Signer {
  key: nodeCrypto.KeyObject;
  subject: der.Der;
  subjectKeyId?: Uint8Array;
}

function signatureAlgorithm(key: nodeCrypto.KeyObject): der.Der {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return der.seq(der.oid(OID.sha256WithRSA), der.nullValue());
    case "ec":
      return der.seq(der.oid(OID.ecdsaWithSHA256));
    case "ed25519":
      return der.seq(der.oid(OID.ed25519));
  }
  throw new GoFuncError(`x509: unsupported private key type ${key.asymmetricKeyType}`);
}

function createCertificate(
  cn: string,
  ips: unknown[] | null,
  dns: unknown[] | null,
  days: bigint,
  subjectKey: nodeCrypto.KeyObject,
  isCA: boolean,
  signer?: Signer,
): Certificate {
  const ipBytes = strings(ips, "error parsing ip").map((ip) => {
    const b = parseIP(ip);
    if (!b) throw new GoFuncError(`error parsing ip: ${ip}`);
    return b;
  });
  const dnsNames = strings(dns, "error processing alternate dns name");
  const serial = BigInt("0x" + nodeCrypto.randomBytes(16).toString("hex"));
  const now = new Date();
  const notAfter = new Date(now.getTime() + Number(days) * 86400000);
  const spki = new Uint8Array(
    nodeCrypto.createPublicKey(subjectKey).export({ type: "spki", format: "der" }),
  );
  const subject = name(cn);
  const signingKey = signer?.key ?? subjectKey;
  const algorithm = signatureAlgorithm(signingKey);
  const extensions: der.Der[] = [
    extension(OID.keyUsage, true, keyUsage(isCA ? [0, 2, 5] : [0, 2])),
    extension(
      OID.extKeyUsage,
      false,
      der.seq(der.oid(OID.serverAuth), der.oid(OID.clientAuth)),
    ),
    extension(OID.basicConstraints, true, isCA ? der.seq(der.bool(true)) : der.seq()),
  ];
  let subjectKeyId: Uint8Array | undefined;
  if (isCA) {
    // Go derives the key id of a CA from the SHA-1 of the public key bits.
    const keyBits = der.children(der.read(spki).content)[1].content.subarray(1);
    subjectKeyId = new Uint8Array(nodeCrypto.createHash("sha1").update(keyBits).digest());
    extensions.push(extension(OID.subjectKeyId, false, der.octets(subjectKeyId)));
  }
  const authorityKeyId = signer ? signer.subjectKeyId : subjectKeyId;
  if (authorityKeyId && (signer || isCA)) {
    extensions.push(
      extension(OID.authorityKeyId, false, der.seq(der.tlv(0x80, authorityKeyId))),
    );
  }
  if (dnsNames.length > 0 || ipBytes.length > 0) {
    extensions.push(
      extension(
        OID.subjectAltName,
        false,
        der.seq(
          ...dnsNames.map((d) => der.tlv(0x82, new TextEncoder().encode(d))),
          ...ipBytes.map((b) => der.tlv(0x87, b)),
        ),
      ),
    );
  }
  const tbs = der.seq(
    der.explicit(0, der.integer(2n)),
    der.integer(serial),
    algorithm,
    signer?.subject ?? subject,
    der.seq(der.time(now), der.time(notAfter)),
    subject,
    spki,
    der.explicit(3, der.seq(...extensions)),
  );
  const digest = signingKey.asymmetricKeyType === "ed25519" ? null : "sha256";
  const signature = new Uint8Array(nodeCrypto.sign(digest, tbs, signingKey));
  const cert = der.seq(tbs, algorithm, der.bitString(signature));
  return new Certificate(pem("CERTIFICATE", cert), keyPem(subjectKey));
}

function newRsaKey(): nodeCrypto.KeyObject {
  return nodeCrypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

function withKey(pemText: string): nodeCrypto.KeyObject {
  try {
    return parsePrivateKey(pemText);
  } catch (e) {
    throw new GoFuncError(`parsing private key: ${(e as Error).message}`);
  }
}

/** The CA a certificate will be signed with: its key, subject and key id. */
function signerFrom(ca: unknown): Signer {
  const c = ca as Partial<Certificate> | null;
  if (!c || typeof c.Cert !== "string" || typeof c.Key !== "string") {
    throw new GoFuncError("unable to decode certificate");
  }
  const body = pemBody(c.Cert, "CERTIFICATE");
  if (!body) throw new GoFuncError("unable to decode certificate");
  let subject: der.Der;
  let subjectKeyId: Uint8Array | undefined;
  try {
    const tbs = der.children(der.read(body).content)[0];
    const fields = der.children(tbs.content);
    const offset = fields[0].tag === 0xa0 ? 1 : 0;
    subject = fields[4 + offset].whole;
    const exts = fields.find((f) => f.tag === 0xa3);
    if (exts) {
      for (const ext of der.children(der.read(exts.content).content)) {
        const parts = der.children(ext.content);
        if (bytesEqual(parts[0].whole, der.oid(OID.subjectKeyId))) {
          subjectKeyId = der.read(parts[parts.length - 1].content).content;
        }
      }
    }
  } catch {
    throw new GoFuncError(
      "error parsing certificate: decodedSignerCert.Bytes: malformed certificate",
    );
  }
  let key: nodeCrypto.KeyObject;
  try {
    key = parsePrivateKey(c.Key);
  } catch (e) {
    throw new GoFuncError(`error parsing private key: ${(e as Error).message}`);
  }
  return { key, subject, subjectKeyId };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  let cert: string;
  let key: string;
  try {
    cert = new TextDecoder().decode(base64Decode(b64cert));
  } catch {
    throw new GoFuncError("unable to decode base64 certificate");
  }
  try {
    key = new TextDecoder().decode(base64Decode(b64key));
  } catch {
    throw new GoFuncError("unable to decode base64 private key");
  }
  const body = pemBody(cert);
  if (!body) throw new GoFuncError("unable to decode certificate");
  try {
    new nodeCrypto.X509Certificate(cert);
  } catch (e) {
    throw new GoFuncError(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
  }
  try {
    parsePrivateKey(key);
  } catch (e) {
    throw new GoFuncError(`error parsing private key: ${(e as Error).message}`);
  }
  return new Certificate(cert, key);
}

/** A certificate given as a dict (e.g. from values) is accepted like the struct. */
function asCert(v: unknown): unknown {
  if (isPlainMap(v) && typeof v.Cert === "string" && typeof v.Key === "string") {
    return new Certificate(v.Cert, v.Key);
  }
  return v;
}

const days = (d: bigint | GoInt) => typeof d === "bigint" ? d : d.value;

export const certFuncs: FuncMap = {
  genCA: typed(
    ["string", "int"],
    (cn: string, d: bigint) => createCertificate(cn, null, null, days(d), newRsaKey(), true),
  ),
  genCAWithKey: typed(
    ["string", "int", "string"],
    (cn: string, d: bigint, key: string) =>
      createCertificate(cn, null, null, days(d), withKey(key), true),
  ),
  genSelfSignedCert: typed(
    ["string", "[]any", "[]any", "int"],
    (cn: string, ips: unknown[] | null, dns: unknown[] | null, d: bigint) =>
      createCertificate(cn, ips, dns, days(d), newRsaKey(), false),
  ),
  genSelfSignedCertWithKey: typed(
    ["string", "[]any", "[]any", "int", "string"],
    (cn: string, ips: unknown[] | null, dns: unknown[] | null, d: bigint, key: string) =>
      createCertificate(cn, ips, dns, days(d), withKey(key), false),
  ),
  genSignedCert: typed(
    ["string", "[]any", "[]any", "int", "any"],
    (cn: string, ips: unknown[] | null, dns: unknown[] | null, d: bigint, ca: unknown) => {
      const signer = signerFrom(asCert(ca));
      return createCertificate(cn, ips, dns, days(d), newRsaKey(), false, signer);
    },
  ),
  genSignedCertWithKey: typed(
    ["string", "[]any", "[]any", "int", "any", "string"],
    (
      cn: string,
      ips: unknown[] | null,
      dns: unknown[] | null,
      d: bigint,
      ca: unknown,
      key: string,
    ) => {
      const signer = signerFrom(asCert(ca));
      return createCertificate(cn, ips, dns, days(d), withKey(key), false, signer);
    },
  ),
  buildCustomCert: typed(["string", "string"], buildCustomCert),
};
