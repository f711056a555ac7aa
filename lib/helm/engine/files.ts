// `.Files`: the chart's non-template files, with Helm's accessors (Get, GetBytes, Glob, Lines,
// AsConfig, AsSecrets). Methods are what templates call; names keep Go's capitalisation.
import { withGoType } from "../../gotemplate/mod.ts";
import type { ChartFile } from "../chart/types.ts";
import { compileGlob } from "./glob.ts";
import { toYaml } from "./to_yaml.ts";

const decoder = new TextDecoder();

function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

export class Files {
  static goType = "engine.files";
  readonly #files: Map<string, Uint8Array>;

  constructor(files: Iterable<ChartFile> | Map<string, Uint8Array>) {
    if (files instanceof Map) this.#files = files;
    else {
      this.#files = new Map();
      for (const f of files) this.#files.set(f.name, f.data);
    }
  }

  GetBytes(name: string): Uint8Array {
    return this.#files.get(String(name)) ?? new Uint8Array();
  }

  Get(name: string): string {
    return decoder.decode(this.GetBytes(name));
  }

  Glob(pattern: string): Files {
    const re = compileGlob(String(pattern)) ?? compileGlob("**")!;
    const out = new Map<string, Uint8Array>();
    for (const [name, data] of this.#files) if (re.test(name)) out.set(name, data);
    return new Files(out);
  }

  AsConfig(): string {
    const m: Record<string, string> = {};
    for (const [k, v] of this.#files) m[baseName(k)] = decoder.decode(v);
    return toYaml(m);
  }

  AsSecrets(): string {
    const m: Record<string, string> = {};
    for (const [k, v] of this.#files) m[baseName(k)] = base64(v);
    return toYaml(m);
  }

  Lines(path: string): string[] {
    const data = this.#files.get(String(path));
    if (!data) return withGoType([], "[]string");
    let s = decoder.decode(data);
    if (s.endsWith("\n")) s = s.slice(0, -1);
    return withGoType(s.split("\n"), "[]string");
  }

  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.#files) out[k] = base64(v);
    return out;
  }
}
