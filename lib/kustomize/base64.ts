// Standard base64 (with padding) of bytes, for Secret data and ConfigMap binaryData.
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

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
