// Reads an SSH channel (a Node stream emitting Uint8Array chunks) as the Git pack protocol
// needs it: first the ref advertisement, pkt-line by pkt-line up to the flush-pkt "0000";
// then everything that follows, as an async iterator, until the channel closes.
import { concatBytes } from "../../bytes/mod.ts";
import { GitError } from "../errors.ts";

export interface DataStream {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "close" | "end", listener: () => void): unknown;
}

export class ChannelReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #closed = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(stream: DataStream, readonly where: string) {
    stream.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(new Uint8Array(chunk));
      this.#buffered += chunk.length;
      this.#notify();
    });
    stream.on("close", () => {
      this.#closed = true;
      this.#notify();
    });
  }

  /** Makes pending and later reads fail with `error` (e.g. on a timeout). */
  fail(error: Error): void {
    this.#failure = error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #waitFor(bytes: number): Promise<boolean> {
    while (this.#buffered < bytes) {
      if (this.#failure) throw this.#failure;
      if (this.#closed) return false;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    return true;
  }

  #take(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    let at = 0;
    while (at < bytes) {
      const head = this.#chunks[0];
      const n = Math.min(head.length, bytes - at);
      out.set(head.subarray(0, n), at);
      at += n;
      if (n === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(n);
    }
    this.#buffered -= bytes;
    return out;
  }

  /** The advertisement, including its closing "0000". Throws if the channel ends first. */
  async readAdvertisement(stderr: () => string): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    while (true) {
      if (!await this.#waitFor(4)) {
        const detail = stderr().trim();
        throw new GitError(
          detail.includes("not appear to be a git repository")
            ? "RefNotFound"
            : "GitOperationFailed",
          `the SSH server closed the channel before listing refs${detail ? `: ${detail}` : ""}`,
          this.where,
        );
      }
      const header = this.#take(4);
      const length = parseInt(new TextDecoder().decode(header), 16);
      if (Number.isNaN(length) || (length > 0 && length < 4)) {
        throw new GitError(
          "GitOperationFailed",
          "the SSH server sent a malformed pkt-line",
          this.where,
        );
      }
      parts.push(header);
      if (length === 0) break;
      if (!await this.#waitFor(length - 4)) {
        throw new GitError("GitOperationFailed", "the ref advertisement is truncated", this.where);
      }
      parts.push(this.#take(length - 4));
    }
    return concatBytes(parts);
  }

  /** Everything after the advertisement, until the channel closes. */
  async *rest(limit?: number): AsyncIterableIterator<Uint8Array> {
    let total = 0;
    while (true) {
      if (this.#buffered > 0) {
        const chunk = this.#take(this.#buffered);
        total += chunk.length;
        if (limit !== undefined && total > limit) {
          throw new GitError(
            "TooLarge",
            `the download exceeds the size limit of ${limit} bytes`,
            this.where,
          );
        }
        yield chunk;
        continue;
      }
      if (!await this.#waitFor(1)) return;
    }
  }
}
