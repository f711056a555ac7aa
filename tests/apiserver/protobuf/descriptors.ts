// The message layouts of the Kubernetes protobuf types (field number -> name and type), read
// from the gzipped FileDescriptorProtos that every Go program using k8s.io/api embeds. The table
// derived from kubectl is committed as descriptors.json (see derive.ts).
import { readFields, text } from "./wire.ts";

/** [number, name, type, repeated, typeName] as in FieldDescriptorProto. */
export type FieldEntry = [number, string, number, boolean, string?];

export interface MessageEntry {
  fields: FieldEntry[];
  mapEntry?: boolean;
}

export type DescriptorTable = Record<string, MessageEntry>;

function readMessage(bytes: Uint8Array, prefix: string, table: DescriptorTable): void {
  let name = "";
  const fields: FieldEntry[] = [];
  const nested: Uint8Array[] = [];
  let mapEntry = false;
  for (const f of readFields(bytes)) {
    if (f.number === 1) name = text(f.bytes);
    else if (f.number === 2 && f.bytes) {
      let fname = "";
      let num = 0;
      let type = 0;
      let repeated = false;
      let typeName: string | undefined;
      for (const ff of readFields(f.bytes)) {
        if (ff.number === 1) fname = text(ff.bytes);
        else if (ff.number === 3) num = Number(ff.int);
        else if (ff.number === 4) repeated = Number(ff.int) === 3;
        else if (ff.number === 5) type = Number(ff.int);
        else if (ff.number === 6) typeName = text(ff.bytes).replace(/^\./, "");
      }
      fields.push(typeName ? [num, fname, type, repeated, typeName] : [num, fname, type, repeated]);
    } else if (f.number === 3 && f.bytes) nested.push(f.bytes);
    else if (f.number === 7 && f.bytes) {
      for (const o of readFields(f.bytes)) if (o.number === 7 && o.int === 1n) mapEntry = true;
    }
  }
  const full = `${prefix}.${name}`;
  table[full] = mapEntry ? { fields, mapEntry } : { fields };
  for (const n of nested) readMessage(n, full, table);
}

/** Adds the messages of one FileDescriptorProto to the table. */
export function addFileDescriptor(bytes: Uint8Array, table: DescriptorTable): string {
  let pkg = "";
  let fileName = "";
  const messages: Uint8Array[] = [];
  for (const f of readFields(bytes)) {
    if (f.number === 1) fileName = text(f.bytes);
    else if (f.number === 2) pkg = text(f.bytes);
    else if (f.number === 4 && f.bytes) messages.push(f.bytes);
  }
  for (const m of messages) readMessage(m, pkg, table);
  return fileName;
}

let tableCache: DescriptorTable | undefined;

export function descriptorTable(): DescriptorTable {
  if (!tableCache) {
    const file = new URL("./descriptors.json", import.meta.url);
    tableCache = JSON.parse(Deno.readTextFileSync(file)) as DescriptorTable;
  }
  return tableCache;
}
