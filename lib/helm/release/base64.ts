// Base64 of bytes, as Go's encoding/json writes []byte and as Secret data travels.

export { encodeBase64 as bytesToBase64 } from "../../bytes/mod.ts";

/** Throws on malformed input (atob's DOMException), which callers turn into their own errors. */
export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
