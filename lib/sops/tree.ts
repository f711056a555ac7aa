// SOPS's view of a document: ordered branches of key/value items, lists, scalars and comments.
// Order matters (the MAC covers it), so maps are item lists, never JavaScript objects, whose
// integer-like keys would be reordered.

/** A comment line; SOPS encrypts comments too (type `comment`) and keeps them out of the MAC. */
export class Comment {
  constructor(readonly value: string) {}
}

export interface TreeItem {
  key: string | Comment;
  value: TreeValue;
}

/** An ordered map. */
export class Branch {
  constructor(readonly items: TreeItem[] = []) {}
}

/** Decrypted `type:bytes` values, and the binary store's payload, stay raw. */
export type Scalar = string | number | boolean | null | Uint8Array;

export type TreeValue = Scalar | Comment | Branch | TreeValue[];

/** Converts a tree value to plain JavaScript data (comments dropped, bytes as text). */
export function toPlain(value: TreeValue): unknown {
  if (value instanceof Branch) {
    const out: Record<string, unknown> = {};
    for (const item of value.items) {
      if (item.key instanceof Comment) continue;
      out[item.key] = toPlain(item.value);
    }
    return out;
  }
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof Comment)).map(toPlain);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (value instanceof Comment) return value.value;
  return value;
}

/** Builds a tree from plain JavaScript data, keeping the objects' key order. */
export function fromPlain(value: unknown): TreeValue {
  if (Array.isArray(value)) return value.map(fromPlain);
  if (value instanceof Uint8Array) return value;
  if (value !== null && typeof value === "object") {
    return new Branch(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
        key,
        value: fromPlain(v),
      })),
    );
  }
  if (
    typeof value === "string" || typeof value === "number" || typeof value === "boolean" ||
    value === null || value === undefined
  ) {
    return value ?? null;
  }
  return String(value);
}
