// SOPS's YAML store: every document of the stream is a branch (documents must be mappings),
// comments become Comment items in the branch or list they sit in, and the `sops` key holds
// the metadata (read from the first document, removed from all).
import { DEFAULT_LIMITS, YAML } from "../../yaml/mod.ts";
import { SopsError } from "../errors.ts";
import { Branch, Comment, toPlain, type TreeItem, type TreeValue } from "../tree.ts";
import { decodeText, type LoadedFile, type Store } from "./store.ts";
import { resolvePlainScalar } from "./yaml_scalar.ts";

const MAX_ALIAS_EXPANSIONS = DEFAULT_LIMITS.maxAliases;

export class YamlStore implements Store {
  load(bytes: Uint8Array, file: string | undefined): LoadedFile {
    const text = decodeText(bytes);
    if (bytes.length > DEFAULT_LIMITS.maxInputBytes) {
      throw new SopsError(
        "format",
        file,
        `file is larger than ${DEFAULT_LIMITS.maxInputBytes} bytes`,
      );
    }
    const docs = YAML.parseAllDocuments(text, {
      keepSourceTokens: true,
      uniqueKeys: false,
      strict: false,
    }) as YAML.Document.Parsed[];
    const branches: Branch[] = [];
    const documentMetadata: unknown[] = [];
    docs.forEach((doc, index) => {
      const where = docs.length > 1 ? `document ${index + 1}: ` : "";
      if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const pos = err.linePos?.[0];
        throw new SopsError(
          "format",
          file,
          `${where}invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}: ${
            err.message.split("\n")[0]
          }`,
        );
      }
      const reader = new NodeReader(doc, file, where);
      const branch = reader.document();
      const sopsAt = branch.items.findIndex((i) => i.key === "sops");
      documentMetadata.push(sopsAt >= 0 ? toPlain(branch.items[sopsAt].value) : undefined);
      if (sopsAt >= 0) branch.items.splice(sopsAt, 1);
      branches.push(branch);
    });
    // As SOPS does, the metadata is the first document's.
    const metadata = documentMetadata[0];
    return { branches, metadata, documentMetadata };
  }

  emit(branches: Branch[]): Uint8Array {
    const parts = branches.map((b) => {
      const doc = new YAML.Document();
      const { node, trailing } = mapNode(doc, b);
      doc.contents = node;
      if (trailing.length) doc.comment = trailing.join("\n");
      return doc.toString({ lineWidth: 0, indent: 2 });
    });
    return new TextEncoder().encode(parts.join("---\n"));
  }
}

class NodeReader {
  #aliases = 0;
  constructor(
    readonly doc: YAML.Document.Parsed,
    readonly file: string | undefined,
    readonly where: string,
  ) {}

  fail(detail: string): never {
    throw new SopsError("format", this.file, `${this.where}${detail}`);
  }

  document(): Branch {
    const items: TreeItem[] = [];
    pushComments(items, this.doc.commentBefore);
    const root = this.doc.contents;
    if (root === null || (YAML.isScalar(root) && root.value === null)) {
      // An empty document (or `--- ~`) is an empty branch, as in SOPS.
    } else if (YAML.isMap(root)) {
      items.push(...this.mapItems(root, []));
    } else if (YAML.isSeq(root)) {
      this.fail("YAML documents that are sequences are not supported");
    } else {
      this.fail("YAML documents that are values are not supported");
    }
    pushComments(items, this.doc.comment);
    return new Branch(items);
  }

  mapItems(map: YAML.YAMLMap, path: string[]): TreeItem[] {
    const items: TreeItem[] = [];
    pushComments(items, map.commentBefore);
    for (const pair of map.items) {
      const keyNode = pair.key as YAML.Node | null;
      pushComments(items, keyNode?.commentBefore);
      const key = this.key(keyNode, path);
      const valueNode = pair.value as YAML.Node | null;
      const scalarLike = valueNode === null || YAML.isScalar(valueNode) || YAML.isAlias(valueNode);
      if (scalarLike) {
        pushComments(items, valueNode?.commentBefore);
        pushComments(items, valueNode?.comment);
      }
      items.push({ key, value: this.value(valueNode, [...path, key]) });
      pushComments(items, keyNode?.comment);
    }
    pushComments(items, map.comment);
    return items;
  }

  key(node: YAML.Node | null, path: string[]): string {
    const v = node === null ? null : this.scalar(node);
    if (typeof v !== "string") {
      this.fail(
        `${path.length ? path.join(".") + ": " : ""}map key ${
          JSON.stringify(v)
        } is not a string; SOPS supports string keys only`,
      );
    }
    return v;
  }

  value(node: YAML.Node | null | undefined, path: string[]): TreeValue {
    if (node === null || node === undefined) return null;
    if (YAML.isAlias(node)) {
      if (++this.#aliases > MAX_ALIAS_EXPANSIONS) {
        this.fail(`more than ${MAX_ALIAS_EXPANSIONS} aliases`);
      }
      const target = node.resolve(this.doc);
      if (!target) this.fail(`unresolved alias ${node.source}`);
      return this.value(target as YAML.Node, path);
    }
    if (YAML.isMap(node)) return new Branch(this.mapItems(node, path));
    if (YAML.isSeq(node)) {
      const out: TreeValue[] = [];
      pushListComments(out, node.commentBefore);
      for (const item of node.items as (YAML.Node | null)[]) {
        pushListComments(out, item?.commentBefore);
        if (item && (YAML.isScalar(item) || YAML.isAlias(item))) {
          pushListComments(out, item.comment);
        }
        out.push(this.value(item, path));
      }
      pushListComments(out, node.comment);
      return out;
    }
    if (YAML.isScalar(node)) return this.scalar(node);
    return this.fail(`unsupported YAML node at ${path.join(".")}`);
  }

  scalar(node: YAML.Node): string | number | boolean | null {
    if (YAML.isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? this.scalar(target as YAML.Node) : null;
    }
    if (!YAML.isScalar(node)) this.fail("expected a scalar where a key belongs");
    const s = node as YAML.Scalar;
    const v = s.value;
    if (s.tag === "tag:yaml.org,2002:str") return String(v ?? "");
    // Untagged one-line plain scalars are typed by yaml.v3's rules, from their source text;
    // the parser's YAML 1.2 typing differs (0777, 1_000). Quoted, block and multi-line plain
    // scalars are strings, explicitly tagged ones keep the parser's typing.
    const source = (s.srcToken as { source?: string } | undefined)?.source;
    if (s.type === "PLAIN" && !s.tag && source !== undefined && !source.includes("\n")) {
      return resolvePlainScalar(source);
    }
    if (v === null || v === undefined) return null;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return String(v);
  }
}

function commentLines(text: string | null | undefined): Comment[] {
  if (!text) return [];
  return text.split("\n").filter((l) => l !== "").map((l) => new Comment(l));
}

/** Comments in a mapping become items with a Comment key, as in SOPS. */
function pushComments(items: TreeItem[], text: string | null | undefined): void {
  for (const c of commentLines(text)) items.push({ key: c, value: null });
}

/** Comments in a sequence become Comment elements. */
function pushListComments(list: TreeValue[], text: string | null | undefined): void {
  list.push(...commentLines(text));
}

// --- emission -----------------------------------------------------------------------------

function mapNode(doc: YAML.Document, branch: Branch): { node: YAML.YAMLMap; trailing: string[] } {
  const map = new YAML.YAMLMap();
  let pending: string[] = [];
  for (const item of branch.items) {
    if (item.key instanceof Comment) {
      pending.push(item.key.value);
      continue;
    }
    const key = doc.createNode(item.key) as YAML.Scalar;
    if (pending.length) key.commentBefore = pending.join("\n");
    pending = [];
    map.items.push(doc.createPair(key, valueNode(doc, item.value)));
  }
  return { node: map, trailing: pending };
}

function valueNode(doc: YAML.Document, value: TreeValue): YAML.Node {
  if (value instanceof Branch) {
    const { node, trailing } = mapNode(doc, value);
    if (trailing.length) node.comment = trailing.join("\n");
    return node;
  }
  if (Array.isArray(value)) {
    const seq = new YAML.YAMLSeq();
    let pending: string[] = [];
    for (const v of value) {
      if (v instanceof Comment) {
        pending.push(v.value);
        continue;
      }
      const n = valueNode(doc, v);
      if (pending.length) n.commentBefore = pending.join("\n");
      pending = [];
      seq.items.push(n);
    }
    if (pending.length) seq.comment = pending.join("\n");
    return seq;
  }
  if (value instanceof Uint8Array) return stringNode(doc, new TextDecoder().decode(value));
  if (value instanceof Comment) return stringNode(doc, value.value);
  if (typeof value === "string") return stringNode(doc, value);
  return doc.createNode(value);
}

// Words YAML 1.1 readers take for booleans: quoted, so no reader mistakes the plaintext.
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function stringNode(doc: YAML.Document, text: string): YAML.Node {
  const node = doc.createNode(text) as YAML.Scalar;
  if (YAML11_BOOL.test(text)) node.type = "QUOTE_DOUBLE";
  return node;
}
