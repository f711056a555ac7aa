// JSON patch (RFC 6902, `application/json-patch+json`): add, remove, replace, move, copy, test.
import { deepEqual, isObject, type Json, type JsonObject } from "../ssa/typed.ts";

export class JsonPatchError extends Error {
  constructor(readonly index: number, message: string) {
    super(`json patch operation ${index}: ${message}`);
    this.name = "JsonPatchError";
  }
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string, index: number): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPatchError(index, `invalid path "${pointer}"`);
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: Json, parts: string[], index: number): Json {
  let cur: Json = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else cur = undefined as unknown as Json;
    if (cur === undefined) {
      throw new JsonPatchError(index, `path "/${parts.join("/")}" does not exist`);
    }
  }
  return cur;
}

function get(doc: Json, parts: string[], index: number): Json {
  if (parts.length === 0) return doc;
  const parent = parentOf(doc, parts, index);
  const last = parts[parts.length - 1];
  const v = Array.isArray(parent)
    ? parent[Number(last)]
    : isObject(parent)
    ? parent[last]
    : undefined;
  if (v === undefined) throw new JsonPatchError(index, `path "/${parts.join("/")}" does not exist`);
  return v;
}

function remove(doc: Json, parts: string[], index: number): Json {
  const parent = parentOf(doc, parts, index);
  const last = parts[parts.length - 1];
  const old = get(doc, parts, index);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as JsonObject)[last];
  return old;
}

function add(doc: Json, parts: string[], value: Json, index: number, replace: boolean): Json {
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts, index);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) {
      throw new JsonPatchError(index, `index ${last} is out of range`);
    }
    if (replace) {
      if (i >= parent.length) throw new JsonPatchError(index, `index ${last} is out of range`);
      parent[i] = value;
    } else parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) {
      throw new JsonPatchError(index, `path "/${parts.join("/")}" does not exist`);
    }
    parent[last] = value;
  } else {
    throw new JsonPatchError(index, `parent of "/${parts.join("/")}" is not a container`);
  }
  return doc;
}

export function applyJsonPatch(target: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw new JsonPatchError(0, "a JSON patch must be an array");
  let doc = structuredClone(target);
  (patch as Operation[]).forEach((op, i) => {
    const parts = parsePointer(op.path, i);
    switch (op.op) {
      case "add":
        doc = add(doc, parts, structuredClone(op.value as Json), i, false);
        break;
      case "replace":
        doc = add(doc, parts, structuredClone(op.value as Json), i, true);
        break;
      case "remove":
        remove(doc, parts, i);
        break;
      case "move": {
        const v = remove(doc, parsePointer(op.from ?? "", i), i);
        doc = add(doc, parts, v, i, false);
        break;
      }
      case "copy": {
        const v = structuredClone(get(doc, parsePointer(op.from ?? "", i), i));
        doc = add(doc, parts, v, i, false);
        break;
      }
      case "test":
        if (!deepEqual(get(doc, parts, i), op.value)) {
          throw new JsonPatchError(i, `testing value ${op.path} failed`);
        }
        break;
      default:
        throw new JsonPatchError(i, `unexpected kind of operation "${op.op}"`);
    }
  });
  return doc;
}
