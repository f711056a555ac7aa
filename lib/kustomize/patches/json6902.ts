// RFC 6902 JSON Patch (add, remove, replace, move, copy, test) on plain objects, with the error
// cases of the library kustomize uses: a missing path fails replace/remove/test, array indexes
// must exist (or be "-" / the length for add).
import { isMap } from "../resource.ts";

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export class JsonPatchError extends Error {
  override readonly name = "JsonPatchError";
}

/** Applies the operations in order to a copy of `doc` and returns it. */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  let root = structuredClone(doc);
  ops.forEach((op, i) => {
    try {
      root = applyOne(root, op);
    } catch (e) {
      if (e instanceof JsonPatchError) {
        throw new JsonPatchError(`operation ${i} (${op.op} ${op.path}): ${e.message}`);
      }
      throw e;
    }
  });
  return root;
}

/** Checks the shape of a parsed patch document (a list of operations). */
export function asJsonPatch(value: unknown): JsonPatchOp[] {
  if (!Array.isArray(value)) throw new JsonPatchError("a JSON patch must be a list of operations");
  return value.map((op, i) => {
    if (!isMap(op) || typeof op.op !== "string" || typeof op.path !== "string") {
      throw new JsonPatchError(`operation ${i}: expected a map with "op" and "path"`);
    }
    return op as unknown as JsonPatchOp;
  });
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function applyOne(root: unknown, op: JsonPatchOp): unknown {
  const tokens = parsePointer(op.path);
  switch (op.op) {
    case "add":
      return add(root, tokens, structuredClone(op.value));
    case "remove":
      remove(root, tokens);
      return root;
    case "replace":
      if (tokens.length === 0) return structuredClone(op.value);
      get(root, tokens);
      remove(root, tokens);
      return add(root, tokens, structuredClone(op.value));
    case "move": {
      if (op.from === undefined) throw new JsonPatchError(`"from" is missing`);
      const from = parsePointer(op.from);
      const value = get(root, from);
      remove(root, from);
      return add(root, tokens, value);
    }
    case "copy": {
      if (op.from === undefined) throw new JsonPatchError(`"from" is missing`);
      return add(root, tokens, structuredClone(get(root, parsePointer(op.from))));
    }
    case "test": {
      const actual = get(root, tokens);
      if (JSON.stringify(actual) !== JSON.stringify(op.value)) {
        throw new JsonPatchError(`test failed: value is ${JSON.stringify(actual)}`);
      }
      return root;
    }
    default:
      throw new JsonPatchError(`unknown operation "${op.op}"`);
  }
}

function get(root: unknown, tokens: string[]): unknown {
  let cur = root;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length - 1);
      cur = cur[i];
    } else if (isMap(cur) && t in cur) {
      cur = cur[t];
    } else {
      throw new JsonPatchError(`path does not exist (missing "${t}")`);
    }
  }
  return cur;
}

function arrayIndex(token: string, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`invalid array index "${token}"`);
  const i = Number(token);
  if (i > max) throw new JsonPatchError(`array index ${i} out of bounds`);
  return i;
}

function add(root: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const parent = get(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : arrayIndex(last, parent.length);
    parent.splice(i, 0, value);
  } else if (isMap(parent)) {
    parent[last] = value;
  } else {
    throw new JsonPatchError(`cannot add "${last}": its parent is not a map or list`);
  }
  return root;
}

function remove(root: unknown, tokens: string[]): void {
  if (tokens.length === 0) throw new JsonPatchError("cannot remove the whole document");
  const parent = get(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length - 1), 1);
  } else if (isMap(parent) && last in parent) {
    delete parent[last];
  } else {
    throw new JsonPatchError(`path does not exist (missing "${last}")`);
  }
}
