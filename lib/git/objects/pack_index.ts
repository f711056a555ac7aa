// Version 2 pack index (.idx) files: the sorted object ids of a pack and their byte offsets.
// Format: "\377tOc", version 2, 256 fan-out counts, N ids, N CRCs, N offsets, large offsets.
import { GitError } from "../errors.ts";

export class PackIndex {
  readonly count: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #idsAt = 8 + 256 * 4;
  readonly #offsetsAt: number;
  readonly #largeAt: number;

  constructor(bytes: Uint8Array, readonly path: string) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = this.#view.getUint32(0);
    if (bytes.length < 8 + 1024 || magic !== 0xff744f63 || this.#view.getUint32(4) !== 2) {
      throw new GitError("CorruptPack", `${path}: not a version 2 pack index`);
    }
    this.count = this.#view.getUint32(8 + 255 * 4);
    this.#offsetsAt = this.#idsAt + this.count * 20 + this.count * 4;
    this.#largeAt = this.#offsetsAt + this.count * 4;
    if (bytes.length < this.#largeAt + 40) {
      throw new GitError("CorruptPack", `${path}: truncated pack index`);
    }
  }

  /** Byte offset of the object in the pack, or undefined when the pack does not hold it. */
  offsetOf(id: Uint8Array): number | undefined {
    const first = id[0];
    let lo = first === 0 ? 0 : this.#view.getUint32(8 + (first - 1) * 4);
    let hi = this.#view.getUint32(8 + first * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.#compareAt(mid, id);
      if (c === 0) return this.#offsetAt(mid);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  /** Every object id in the pack, as lowercase hex. */
  *ids(): Iterable<string> {
    for (let i = 0; i < this.count; i++) {
      yield toHex(this.#bytes.subarray(this.#idsAt + i * 20, this.#idsAt + i * 20 + 20));
    }
  }

  #compareAt(index: number, id: Uint8Array): number {
    const at = this.#idsAt + index * 20;
    for (let i = 0; i < 20; i++) {
      const d = this.#bytes[at + i] - id[i];
      if (d !== 0) return d;
    }
    return 0;
  }

  #offsetAt(index: number): number {
    const small = this.#view.getUint32(this.#offsetsAt + index * 4);
    if ((small & 0x80000000) === 0) return small;
    const large = this.#largeAt + (small & 0x7fffffff) * 8;
    return Number(this.#view.getBigUint64(large));
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
