// SOPS's binary store: the whole file is one value. Encrypted, it is a JSON envelope
// `{"data": "ENC[...]", "sops": {...}}`; decrypted, it is the raw bytes of `data`.
import { SopsError } from "../errors.ts";
import { Branch, toPlain } from "../tree.ts";
import { readJsonObject } from "./json.ts";
import type { LoadedFile, Store } from "./store.ts";

export class BinaryStore implements Store {
  load(bytes: Uint8Array, file: string | undefined): LoadedFile {
    const root = readJsonObject(bytes, file);
    const sops = root.items.find((i) => i.key === "sops");
    const data = root.items.find((i) => i.key === "data");
    if (sops && !data) {
      throw new SopsError("format", file, 'binary store envelope has no "data" key');
    }
    return {
      branches: [new Branch(data ? [{ key: "data", value: data.value }] : [])],
      metadata: sops ? toPlain(sops.value) : undefined,
    };
  }

  emit(branches: Branch[]): Uint8Array {
    const data = branches[0]?.items.find((i) => i.key === "data")?.value;
    if (data instanceof Uint8Array) return data;
    if (typeof data === "string") return new TextEncoder().encode(data);
    throw new Error("binary store: decrypted data is not a string");
  }
}
