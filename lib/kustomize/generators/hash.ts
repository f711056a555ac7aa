// The content hash suffix of generated ConfigMaps and Secrets, computed as kustomize does: SHA-256
// of a JSON encoding with sorted keys (Go's encoding/json, which escapes <, > and &) of
// {kind, name: "", data ("" when absent)[, binaryData]} for ConfigMaps, {kind, name, type, data} for Secrets, the
// whole object otherwise; then the first 10 hex digits with 0,1,3,a,e mapped to g,h,k,m,t.
import { isMap, type KubeObject } from "../resource.ts";

/** JSON as Go's json.Marshal writes a map[string]interface{}: sorted keys, HTML-safe. */
export function goJson(value: unknown): string {
  return stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

function stringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stringify).join(",")}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stringify(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

export function encodeForHash(obj: KubeObject): string {
  // kustomize v5 reads the name through a path that yields "" here, so every generated object
  // hashes with an empty name; the output names prove it (see the conformance cases).
  const name = "";
  if (obj.kind === "ConfigMap") {
    const m: Record<string, unknown> = { kind: "ConfigMap", name, data: obj.data ?? "" };
    if (isMap(obj.binaryData) && Object.keys(obj.binaryData).length > 0) {
      m.binaryData = obj.binaryData;
    }
    return goJson(m);
  }
  if (obj.kind === "Secret") {
    return goJson({
      kind: "Secret",
      name,
      type: obj.type ?? "",
      data: obj.data ?? "",
    });
  }
  return goJson(obj);
}

export async function hashSuffix(obj: KubeObject): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(encodeForHash(obj)),
  );
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  const map: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join("");
}
