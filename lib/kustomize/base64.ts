// Base64 for Secret data and ConfigMap binaryData, cut into lines as kustomize writes it.
import { encodeBase64 } from "../bytes/mod.ts";

/**
 * Secret data and ConfigMap binaryData as kustomize writes them: base64 cut into lines of 70
 * characters, each ending in a newline, once the text is 70 characters or longer.
 */
export function encodeBase64Lines(bytes: Uint8Array): string {
  const encoded = encodeBase64(bytes);
  const lineLen = 70;
  if (Math.floor(encoded.length / lineLen) + 1 <= 1) return encoded;
  let out = "";
  for (let i = 0; i < encoded.length; i += lineLen) out += encoded.slice(i, i + lineLen) + "\n";
  return out;
}
