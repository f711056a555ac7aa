// A minimal SOPS encryptor for tests of the rules no public fixture uses (encrypted_suffix,
// unencrypted_regex, mac_only_encrypted). Written from SOPS's documented behaviour, apart from
// the decryptor: it uses 12-byte nonces, which SOPS's reader accepts, and hashes the MAC
// input itself.
import { ageWrap } from "../../../lib/sops/mod.ts";
import { YAML } from "../../../lib/yaml/mod.ts";

export interface WriteOptions {
  recipient: string;
  /** e.g. { encrypted_suffix: "_secret" } */
  rule: Record<string, string>;
  macOnlyEncrypted?: boolean;
}

type Plain = string | number | Plain[] | { [k: string]: Plain };

export async function encryptLikeSops(
  doc: Record<string, Plain>,
  o: WriteOptions,
): Promise<string> {
  return await encryptDocumentsLikeSops([doc], o);
}

/** A multi-document file as SOPS writes it: one data key and MAC, the metadata in every document. */
export async function encryptDocumentsLikeSops(
  docs: Record<string, Plain>[],
  o: WriteOptions,
): Promise<string> {
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const key = await crypto.subtle.importKey("raw", dataKey, "AES-GCM", false, ["encrypt"]);
  const macInput: Uint8Array[] = [];
  if (o.macOnlyEncrypted) {
    macInput.push(new Uint8Array(await crypto.subtle.digest("SHA-256", enc("sops"))));
  }
  const [field, pattern] = Object.entries(o.rule)[0];
  const encrypted = (path: string[]): boolean => {
    switch (field) {
      case "encrypted_suffix":
        return path.some((p) => p.endsWith(pattern));
      case "unencrypted_suffix":
        return !path.some((p) => p.endsWith(pattern));
      case "encrypted_regex":
        return path.some((p) => new RegExp(pattern).test(p));
      case "unencrypted_regex":
        return !path.some((p) => new RegExp(pattern).test(p));
    }
    throw new Error(`unknown rule ${field}`);
  };
  const seal = async (value: string | number, path: string[]): Promise<string | number> => {
    const text = String(value);
    const isEnc = encrypted(path);
    if (!o.macOnlyEncrypted || isEnc) macInput.push(enc(text));
    if (!isEnc) return value;
    return await sealText(
      key,
      text,
      path.join(":") + ":",
      typeof value === "number" ? "int" : "str",
    );
  };
  const walk = async (v: Plain, path: string[]): Promise<Plain> => {
    if (Array.isArray(v)) {
      const out: Plain[] = [];
      for (const x of v) out.push(await walk(x, path));
      return out;
    }
    if (typeof v === "object") {
      const out: Record<string, Plain> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x, [...path, k]);
      return out;
    }
    return await seal(v, path);
  };
  const bodies: Record<string, Plain>[] = [];
  for (const doc of docs) bodies.push(await walk(doc, []) as Record<string, Plain>);
  const all = new Uint8Array(macInput.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of macInput) {
    all.set(c, off);
    off += c.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", all));
  const mac = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  const lastmodified = "2026-01-02T03:04:05Z";
  const sops: Record<string, unknown> = {
    age: [{ recipient: o.recipient, enc: await ageWrap([o.recipient], dataKey) }],
    lastmodified,
    mac: await sealText(key, mac, lastmodified, "str"),
    ...o.rule,
    version: "3.10.0",
  };
  if (o.macOnlyEncrypted) sops.mac_only_encrypted = true;
  return bodies.map((body) => YAML.stringify({ ...body, sops })).join("---\n");
}

function enc(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(s);
}

async function sealText(key: CryptoKey, text: string, aad: string, type: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc(aad) }, key, enc(text)),
  );
  const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  return `ENC[AES256_GCM,data:${b64(sealed.subarray(0, -16))},iv:${b64(iv)},tag:${
    b64(sealed.subarray(-16))
  },type:${type}]`;
}
