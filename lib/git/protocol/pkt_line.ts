// pkt-lines, the framing of Git's wire protocol: four hex digits of length (including those
// four), then the payload; "0000" is a flush-pkt that ends a section.
import { concatBytes } from "../../bytes/mod.ts";
import { GitError } from "../errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function pktLine(text: string): Uint8Array {
  const payload = encoder.encode(text);
  return concatBytes([encoder.encode((payload.length + 4).toString(16).padStart(4, "0")), payload]);
}

export const FLUSH = encoder.encode("0000");

/** Reads pkt-lines from a byte stream that arrives in chunks. */
export class PktReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #done = false;
  readonly #source: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>, readonly where: string) {
    this.#source = source[Symbol.asyncIterator]();
  }

  async #fill(bytes: number): Promise<boolean> {
    while (this.#buffered < bytes) {
      if (this.#done) return false;
      const { done, value } = await this.#source.next();
      if (done) {
        this.#done = true;
        return this.#buffered >= bytes;
      }
      this.#chunks.push(value);
      this.#buffered += value.length;
    }
    return true;
  }

  #take(bytes: number): Uint8Array {
    if (this.#chunks.length > 1 && this.#chunks[0].length < bytes) {
      this.#chunks = [concatBytes(this.#chunks)];
    }
    const head = this.#chunks[0];
    const out = head.subarray(0, bytes);
    if (bytes === head.length) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(bytes);
    this.#buffered -= bytes;
    return out;
  }

  /** The next pkt-line's payload, null for a flush-pkt, undefined at the end of the stream. */
  async read(): Promise<Uint8Array | null | undefined> {
    if (!await this.#fill(4)) {
      if (this.#buffered === 0) return undefined;
      throw new GitError("CorruptPack", "the server's response ends inside a pkt-line", this.where);
    }
    const length = parseInt(decoder.decode(this.#take(4)), 16);
    if (Number.isNaN(length) || (length > 0 && length < 4)) {
      throw new GitError("CorruptPack", "the server sent a malformed pkt-line", this.where);
    }
    if (length === 0) return null;
    if (!await this.#fill(length - 4)) {
      throw new GitError("CorruptPack", "the server's response is truncated", this.where);
    }
    return this.#take(length - 4);
  }

  async readText(): Promise<string | null | undefined> {
    const line = await this.read();
    return line ? decoder.decode(line).replace(/\n$/, "") : line;
  }
}
