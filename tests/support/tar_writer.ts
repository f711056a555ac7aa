// Builds tar and .tgz archives in tests, including the malformed and hostile ones real tools
// refuse to write (absolute paths, `..`, links, huge sizes).
import { concatBytes } from "../../lib/bytes/mod.ts";

export interface TarEntry {
  name: string;
  /** File content (ignored for links and directories). */
  data?: string | Uint8Array;
  /** '0' file (default), '2' symlink, '1' hard link, '5' directory, ... */
  type?: string;
  linkName?: string;
  /** Declared size when it should differ from the data (for truncated archives). */
  size?: number;
}

const enc = new TextEncoder();

function field(block: Uint8Array, offset: number, length: number, value: string) {
  block.set(enc.encode(value).subarray(0, length), offset);
}

function octal(n: number, length: number): string {
  return n.toString(8).padStart(length - 1, "0");
}

export function tar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.data === "string" ? enc.encode(e.data) : e.data ?? new Uint8Array();
    const h = new Uint8Array(512);
    let name = e.name;
    if (enc.encode(name).length > 100) {
      // GNU long name record.
      const long = enc.encode(name + "\0");
      parts.push(...tarBlocks({ name: "././@LongLink", type: "L" }, long));
      name = name.slice(0, 100);
    }
    field(h, 0, 100, name);
    field(h, 100, 8, octal(0o644, 8));
    field(h, 108, 8, octal(0, 8));
    field(h, 116, 8, octal(0, 8));
    field(h, 124, 12, octal(e.size ?? data.length, 12));
    field(h, 136, 12, octal(0, 12));
    h[156] = (e.type ?? "0").charCodeAt(0);
    if (e.linkName) field(h, 157, 100, e.linkName);
    field(h, 257, 6, "ustar");
    field(h, 263, 2, "00");
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    field(h, 148, 8, octal(sum, 7) + "\0");
    parts.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return concatBytes(parts);
}

function tarBlocks(e: { name: string; type: string }, data: Uint8Array): Uint8Array[] {
  const t = tar([{ name: e.name, type: e.type, data }]);
  return [t.subarray(0, t.length - 1024)];
}

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function tgz(entries: TarEntry[]): Promise<Uint8Array> {
  return gzip(tar(entries));
}

/** A minimal valid chart archive's entries under `dir/`. */
export function chartEntries(dir: string, extra: TarEntry[] = []): TarEntry[] {
  return [
    { name: `${dir}/Chart.yaml`, data: `apiVersion: v2\nname: ${dir}\nversion: 0.1.0\n` },
    { name: `${dir}/values.yaml`, data: "greeting: hello\n" },
    {
      name: `${dir}/templates/cm.yaml`,
      data:
        "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  g: {{ .Values.greeting }}\n",
    },
    ...extra,
  ];
}
