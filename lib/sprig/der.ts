// Just enough ASN.1 DER to write X.509 certificates and read the parts of one that signing
// with it needs (subject, subject key identifier).

import { concatBytes } from "./concat_bytes.ts";

export type Der = Uint8Array;

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, ...content: Uint8Array[]): Der {
  const body = concatBytes(...content);
  return concatBytes(Uint8Array.of(tag), lengthBytes(body.length), body);
}

export const seq = (...items: Der[]) => tlv(0x30, ...items);
export const set = (...items: Der[]) => tlv(0x31, ...items);
export const explicit = (n: number, ...items: Der[]) => tlv(0xa0 + n, ...items);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const bool = (v: boolean) => tlv(0x01, Uint8Array.of(v ? 0xff : 0));
export const nullValue = () => tlv(0x05);

export function integer(n: bigint): Der {
  let hex = n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  let bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
  if (bytes[0] & 0x80) bytes = [0, ...bytes];
  return tlv(0x02, Uint8Array.from(bytes));
}

export function oid(dotted: string): Der {
  const parts = dotted.split(".").map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const enc: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) {
      enc.unshift(0x80 | (v & 0x7f));
    }
    bytes.push(...enc);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Der {
  return tlv(0x03, Uint8Array.of(unusedBits), bytes);
}

export function utf8(s: string): Der {
  return tlv(0x0c, new TextEncoder().encode(s));
}

export function printable(s: string): Der {
  return tlv(0x13, new TextEncoder().encode(s));
}

export function ia5(s: string): Der {
  return tlv(0x16, new TextEncoder().encode(s));
}

/** UTCTime before 2050, GeneralizedTime after, as RFC 5280 (and Go) require. */
export function time(d: Date): Der {
  const y = d.getUTCFullYear();
  const p = (n: number) => String(n).padStart(2, "0");
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${
    p(d.getUTCMinutes())
  }${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, new TextEncoder().encode(`${p(y % 100)}${rest}`));
  return tlv(0x18, new TextEncoder().encode(`${String(y).padStart(4, "0")}${rest}`));
}

/** One parsed element: tag, the whole encoding and the content. */
export interface Element {
  tag: number;
  whole: Uint8Array;
  content: Uint8Array;
}

export function read(buf: Uint8Array, at = 0): Element {
  const tag = buf[at];
  let len = buf[at + 1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i];
    head += n;
  }
  return {
    tag,
    whole: buf.subarray(at, at + head + len),
    content: buf.subarray(at + head, at + head + len),
  };
}

export function children(content: Uint8Array): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < content.length;) {
    const e = read(content, at);
    out.push(e);
    at += e.whole.length;
  }
  return out;
}
