// Base64 as Go's encoding/base64.StdEncoding reads and writes it: standard alphabet, padded.

/** Decodes padded standard base64; line breaks are ignored (as in Secret data), else strict. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/[\r\n]/g, "");
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
}

export { encodeBase64 } from "../bytes/mod.ts";
