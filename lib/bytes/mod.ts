// Byte arrays and streams: joining chunks, reading a stream whole under a size ceiling, base64.
//
//   const body = await readBounded(response.body!, 16 << 20); // throws ByteLimitError { maxBytes }
//   const framed = concatBytes([header, payload]);
export { encodeBase64 } from "./base64.ts";
export { concatBytes } from "./concat.ts";
export { ByteLimitError, readBounded } from "./read_bounded.ts";
