// The protobuf wire format: reading varints, fixed-width numbers and length-delimited fields.

export interface WireField {
  number: number;
  wireType: number;
  /** varint or fixed value (as bigint for 64-bit safety) */
  int?: bigint;
  bytes?: Uint8Array;
}

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtobufError";
  }
}

export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    while (true) {
      if (pos >= buf.length) throw new ProtobufError("truncated varint");
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wireType = key & 7;
    switch (wireType) {
      case 0:
        out.push({ number, wireType, int: varint() });
        break;
      case 1: {
        const v = new DataView(buf.buffer, buf.byteOffset + pos, 8).getBigUint64(0, true);
        pos += 8;
        out.push({ number, wireType, int: v });
        break;
      }
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new ProtobufError("truncated length-delimited field");
        out.push({ number, wireType, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5: {
        const v = new DataView(buf.buffer, buf.byteOffset + pos, 4).getUint32(0, true);
        pos += 4;
        out.push({ number, wireType, int: BigInt(v) });
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}

const decoder = new TextDecoder();
export function text(b: Uint8Array | undefined): string {
  return b ? decoder.decode(b) : "";
}
