// Decodes request bodies sent as `application/vnd.kubernetes.protobuf` (kubectl >= 1.3x sends
// its typed requests, e.g. `create namespace` or `auth can-i`, that way) into JSON objects:
// the "k8s\0" + runtime.Unknown envelope, then the message by its descriptor, with the special
// encodings of Time, Quantity, IntOrString, RawExtension and FieldsV1.
import { descriptorTable, type MessageEntry } from "./descriptors.ts";
import { ProtobufError, readFields, text, type WireField } from "./wire.ts";

export { ProtobufError } from "./wire.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const META = "k8s.io.apimachinery.pkg.apis.meta.v1";

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, Json>;
}

/** The protobuf message name of a definition: io.k8s.api.core.v1.Pod -> k8s.io.api.core.v1.Pod. */
export function messageNameOf(definition: string): string {
  return definition.replace(/^io\.k8s\./, "k8s.io.");
}

export function decodeEnvelope(body: Uint8Array, messageName: string): DecodedObject {
  if (!MAGIC.every((b, i) => body[i] === b)) {
    throw new ProtobufError("the protobuf body does not start with the k8s\\0 envelope");
  }
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array = new Uint8Array();
  for (const f of readFields(body.subarray(4))) {
    if (f.number === 1 && f.bytes) {
      for (const t of readFields(f.bytes)) {
        if (t.number === 1) apiVersion = text(t.bytes);
        if (t.number === 2) kind = text(t.bytes);
      }
    } else if (f.number === 2 && f.bytes) raw = f.bytes;
  }
  const object = decodeMessage(raw, messageName) as Record<string, Json>;
  return { apiVersion, kind, object: { apiVersion, kind, ...object } };
}

function signed64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  let rest = Math.abs(ns) / 1e9;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const sign = ns < 0 ? "-" : "";
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

function special(name: string, fields: WireField[]): Json | undefined {
  const get = (n: number) => fields.find((f) => f.number === n);
  switch (name) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const seconds = signed64(get(1)?.int ?? 0n);
      const nanos = Number(get(2)?.int ?? 0n);
      if (seconds === 0 && nanos === 0) return null;
      const iso = new Date(seconds * 1000).toISOString();
      if (name.endsWith("MicroTime")) {
        return iso.replace(/\.\d{3}Z$/, `.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`);
      }
      return iso.replace(/\.\d{3}Z$/, "Z");
    }
    case `${META}.Duration`:
      return goDuration(signed64(get(1)?.int ?? 0n));
    case "k8s.io.apimachinery.pkg.api.resource.Quantity":
      return text(get(1)?.bytes);
    case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
      return Number(get(1)?.int ?? 0n) === 1
        ? text(get(3)?.bytes)
        : Number(BigInt.asIntN(32, get(2)?.int ?? 0n));
    case "k8s.io.apimachinery.pkg.runtime.RawExtension":
    case `${META}.FieldsV1`: {
      const raw = get(1)?.bytes;
      if (!raw || raw.length === 0) return null;
      return JSON.parse(text(raw)) as Json;
    }
  }
  return undefined;
}

function scalar(type: number, f: WireField): Json {
  switch (type) {
    case 1:
      return new DataView(new BigUint64Array([f.int ?? 0n]).buffer).getFloat64(0, true);
    case 2:
      return new DataView(new Uint32Array([Number(f.int ?? 0n)]).buffer).getFloat32(0, true);
    case 3:
    case 16:
      return signed64(f.int ?? 0n);
    case 5:
    case 15:
      return Number(BigInt.asIntN(32, f.int ?? 0n));
    case 17: {
      const n = Number(f.int ?? 0n);
      return (n >>> 1) ^ -(n & 1);
    }
    case 18: {
      const n = f.int ?? 0n;
      return Number((n >> 1n) ^ -(n & 1n));
    }
    case 8:
      return (f.int ?? 0n) !== 0n;
    case 9:
      return text(f.bytes);
    case 12:
      return btoa(String.fromCharCode(...(f.bytes ?? new Uint8Array())));
    default:
      return Number(f.int ?? 0n);
  }
}

/** Scalars of packed repeated fields arrive as one length-delimited run of varints. */
function unpack(type: number, f: WireField): WireField[] {
  if (f.wireType !== 2 || type === 9 || type === 12 || type === 11) return [f];
  const out: WireField[] = [];
  const buf = f.bytes ?? new Uint8Array();
  let pos = 0;
  while (pos < buf.length) {
    let v = 0n;
    let shift = 0n;
    while (true) {
      const b = buf[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    out.push({ number: f.number, wireType: 0, int: v });
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array, name: string): Json {
  const table = descriptorTable();
  const entry: MessageEntry | undefined = table[name];
  const fields = readFields(bytes);
  const sp = special(name, fields);
  if (sp !== undefined) return sp;
  if (!entry) throw new ProtobufError(`no protobuf descriptor for ${name}`);
  const out: Record<string, Json> = {};
  for (const [num, fname, type, repeated, typeName] of entry.fields) {
    const present = fields.filter((f) => f.number === num);
    if (present.length === 0) continue;
    const value = (f: WireField): Json =>
      type === 11 && typeName
        ? decodeMessage(f.bytes ?? new Uint8Array(), typeName)
        : scalar(type, f);
    const sub = typeName ? table[typeName] : undefined;
    if (repeated && sub?.mapEntry) {
      const map: Record<string, Json> = {};
      for (const f of present) {
        const kv = decodeMessage(f.bytes ?? new Uint8Array(), typeName!) as Record<string, Json>;
        map[String(kv.key ?? "")] = kv.value ?? (sub.fields[1][2] === 9 ? "" : null);
      }
      out[fname] = map;
    } else if (repeated) {
      out[fname] = present.flatMap((f) => unpack(type, f)).map(value);
    } else {
      const v = value(present[present.length - 1]);
      // Go writes every non-pointer field; JSON would omit the empty ones.
      if (v === "" || v === false || v === null) continue;
      out[fname] = v;
    }
  }
  return out;
}
