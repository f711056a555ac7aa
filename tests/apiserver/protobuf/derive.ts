// Regenerates descriptors.json from a Go binary that embeds k8s.io/api (kubectl):
//   deno run -A tests/apiserver/protobuf/derive.ts /usr/bin/kubectl
// It finds the gzipped FileDescriptorProtos of the k8s.io/api and apimachinery generated.proto
// files and keeps the message layouts (field numbers, names, types): facts about the wire format.
import { gunzipSync } from "node:zlib";
import { addFileDescriptor, type DescriptorTable } from "./descriptors.ts";

const binary = Deno.args[0] ?? "/usr/bin/kubectl";
const data = Deno.readFileSync(binary);
const magic = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff];
const table: DescriptorTable = {};
const files: string[] = [];
for (let i = 0; i < data.length - magic.length; i++) {
  if (data[i] !== 0x1f || data[i + 1] !== 0x8b) continue;
  if (!magic.every((b, j) => data[i + j] === b)) continue;
  let out: Uint8Array;
  try {
    out = gunzipSync(
      data.subarray(i, Math.min(data.length, i + 2_000_000)),
      {
        finishFlush: 2,
      } as Parameters<typeof gunzipSync>[1],
    );
  } catch {
    continue;
  }
  const head = new TextDecoder().decode(out.subarray(0, 200));
  if (!head.includes("generated.proto") || !/k8s\.io\/(api|apimachinery)\//.test(head)) continue;
  try {
    files.push(addFileDescriptor(out, table));
  } catch {
    // not a descriptor after all
  }
}
const sorted: DescriptorTable = {};
for (const k of Object.keys(table).sort()) sorted[k] = table[k];
const target = new URL("./descriptors.json", import.meta.url);
Deno.writeTextFileSync(target, JSON.stringify(sorted) + "\n");
console.error(
  `${files.length} proto files, ${Object.keys(sorted).length} messages -> ${target.pathname}`,
);
