// A minimal ustar writer for hostile chart archives: any name, link entries, many files, and a
// gzip stream of a huge entry produced chunk by chunk (so the test itself stays small in memory).
import { concatBytes } from "../../lib/bytes/mod.ts";

export interface TarEntry {
  name: string;
  content?: Uint8Array | string;
  /** "0" regular file (default), "2" symlink, "1" hard link, "5" directory. */
  type?: "0" | "1" | "2" | "5";
  linkName?: string;
  /** Declared size when the content is streamed separately (gzipBomb). */
  size?: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

export function tarHeader(entry: TarEntry): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, at: number) => h.set(new TextEncoder().encode(text), at);
  const content = typeof entry.content === "string"
    ? new TextEncoder().encode(entry.content)
    : entry.content;
  put(entry.name.slice(0, 100), 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(entry.size ?? content?.length ?? 0, 12), 124);
  put(octal(0, 12), 136);
  put("        ", 148);
  put(entry.type ?? "0", 156);
  put((entry.linkName ?? "").slice(0, 100), 157);
  put("ustar\0", 257);
  put("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  put(octal(sum, 7) + " ", 148);
  return h;
}

/** The tar stream of `entries`, uncompressed. */
export function tar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(tarHeader(e));
    const content = typeof e.content === "string" ? new TextEncoder().encode(e.content) : e.content;
    if (content && content.length > 0) {
      parts.push(content);
      const pad = (512 - (content.length % 512)) % 512;
      if (pad) parts.push(new Uint8Array(pad));
    }
  }
  parts.push(new Uint8Array(1024));
  return concatBytes(parts);
}

export async function gzip(data: Uint8Array | ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const stream = data instanceof Uint8Array
    ? new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    : data;
  const compressed = (stream as ReadableStream<BufferSource>).pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/** A .tgz holding Chart.yaml and one file of `bytes` zeros, streamed into the compressor. */
export function gzipBomb(bytes: number): Promise<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024);
  let left = bytes;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(
          tar([{ name: "bomb/Chart.yaml", content: CHART_YAML("bomb") }])
            .slice(0, -1024),
        );
        controller.enqueue(tarHeader({ name: "bomb/templates/zeros.yaml", size: bytes }));
        return;
      }
      if (left <= 0) {
        controller.enqueue(new Uint8Array(1024));
        controller.close();
        return;
      }
      const n = Math.min(left, chunk.length);
      controller.enqueue(n === chunk.length ? chunk : chunk.slice(0, n));
      left -= n;
    },
  });
  return gzip(stream);
}

export const CHART_YAML = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;
