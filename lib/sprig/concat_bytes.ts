// Joining byte arrays, which the DER writer and the password/encryption functions both do; the
// argument list reads better at their call sites than an array.
import { concatBytes as join } from "../bytes/mod.ts";

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return join(parts);
}
