// Git's delta format (OFS_DELTA / REF_DELTA pack entries): the base and result sizes as
// varints, then instructions that copy a range of the base or insert literal bytes.
import { GitError } from "../errors.ts";

export function applyDelta(base: Uint8Array, delta: Uint8Array, where: string): Uint8Array {
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const baseSize = varint();
  if (baseSize !== base.length) {
    throw new GitError("CorruptPack", `${where}: delta expects a ${baseSize}-byte base`);
  }
  const out = new Uint8Array(varint());
  let written = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[pos++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[pos++] << (8 * i);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || written + size > out.length) {
        throw new GitError("CorruptPack", `${where}: delta copies outside its base`);
      }
      out.set(base.subarray(offset, offset + size), written);
      written += size;
    } else if (op > 0) {
      if (written + op > out.length || pos + op > delta.length) {
        throw new GitError("CorruptPack", `${where}: delta inserts past its end`);
      }
      out.set(delta.subarray(pos, pos + op), written);
      written += op;
      pos += op;
    } else {
      throw new GitError("CorruptPack", `${where}: reserved delta instruction 0`);
    }
  }
  if (written !== out.length) throw new GitError("CorruptPack", `${where}: delta is truncated`);
  return out;
}
