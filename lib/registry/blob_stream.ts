// A blob read as it arrives, for layers too big to hold in memory: its bytes are counted
// against a ceiling and hashed as they pass, and the digest is checked once all have been
// read, so the consumer must not trust what it built from them before verify() has passed.
import { createHash } from "node:crypto";
import { RegistryError } from "./errors.ts";

export class BlobStream {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #hash = createHash("sha256");
  #read = 0;
  #done = false;

  constructor(
    /** The image, in messages. */
    readonly what: string,
    readonly digest: string,
    body: ReadableStream<Uint8Array>,
    readonly url: string,
    readonly maxBytes: number,
  ) {
    this.#reader = body.getReader();
  }

  /**
   * The blob's bytes. Stopping early (or the consumer failing) leaves the rest unread, for
   * verify() to read; the body stays open until verify() or cancel().
   */
  async *chunks(): AsyncGenerator<Uint8Array> {
    while (true) {
      const chunk = await this.#next();
      if (chunk === undefined) return;
      yield chunk;
    }
  }

  /** Reads what is left, then throws RegistryError unless the bytes match the digest. */
  async verify(): Promise<void> {
    while (await this.#next() !== undefined) { /* hashed in #next */ }
    const actual = `sha256:${this.#hash.digest("hex")}`;
    if (actual !== this.digest) {
      throw new RegistryError(
        "InvalidResponse",
        `${this.what}: blob content does not match ${this.digest} (got ${actual})`,
        { url: this.url },
      );
    }
  }

  /** Releases the connection when the blob is not read to its end. */
  async cancel(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#reader.cancel().catch(() => {});
  }

  async #next(): Promise<Uint8Array | undefined> {
    if (this.#done) return undefined;
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await this.#reader.read();
    } catch (e) {
      this.#done = true;
      throw new RegistryError(
        "Network",
        `${this.what}: reading the response failed: ${e}`,
        { url: this.url },
        e,
      );
    }
    if (result.done) {
      this.#done = true;
      return undefined;
    }
    this.#read += result.value.length;
    if (this.#read > this.maxBytes) {
      await this.cancel();
      throw new RegistryError(
        "InvalidResponse",
        `${this.what}: response larger than ${this.maxBytes} bytes`,
        { url: this.url },
      );
    }
    this.#hash.update(result.value);
    return result.value;
  }
}
