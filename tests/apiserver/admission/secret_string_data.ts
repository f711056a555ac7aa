// A Secret's `stringData` is write-only. The real server merges it into `data` while decoding
// the v1 object into its internal type (Convert_v1_Secret_To_core_Secret), so it is never stored
// or served, and a key in both maps takes the stringData value. Because the fold happens at
// decoding, an Update's managedFields name `f:data` keys, while an Apply's keep the `f:stringData`
// keys of the applied configuration (the applied object is merged in its v1 form first).
import { badRequest } from "../status.ts";
import { isObject, type JsonObject } from "../ssa/typed.ts";

/** Moves `stringData` into `data` (base64 of the UTF-8 text) in place. */
export function foldSecretStringData(secret: JsonObject): void {
  const stringData = secret.stringData;
  delete secret.stringData;
  if (stringData === undefined || stringData === null) return;
  if (!isObject(stringData)) {
    throw badRequest(
      `Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal ${
        goTypeName(stringData)
      } into Go struct field Secret.stringData of type map[string]string`,
    );
  }
  const entries = Object.entries(stringData);
  if (entries.length === 0) return;
  const data: JsonObject = isObject(secret.data) ? { ...secret.data } : {};
  for (const [key, value] of entries) {
    if (typeof value !== "string") {
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal ${
          goTypeName(value)
        } into Go struct field Secret.stringData of type string`,
      );
    }
    data[key] = base64Utf8(value);
  }
  secret.data = data;
}

function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The JSON type name Go's decoder puts in its message. */
function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "object") return "object";
  return typeof v;
}
