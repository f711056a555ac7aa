// Sprig's random strings (goutils' CryptoRandom*): characters drawn with crypto randomness.
import nodeCrypto from "node:crypto";
import { type FuncMap, GoPanic, typed } from "../gotemplate/mod.ts";

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
let ASCII = "";
for (let c = 32; c <= 126; c++) ASCII += String.fromCharCode(c);

function random(count: bigint, chars: string): string {
  if (count < 0n) throw new GoPanic(`Requested random string length ${count} is less than 0.`);
  let out = "";
  for (let i = 0n; i < count; i++) out += chars[nodeCrypto.randomInt(chars.length)];
  return out;
}

export const randomFuncs: FuncMap = {
  randAlphaNum: typed(["int"], (n: bigint) => random(n, LETTERS + DIGITS)),
  randAlpha: typed(["int"], (n: bigint) => random(n, LETTERS)),
  randAscii: typed(["int"], (n: bigint) => random(n, ASCII)),
  randNumeric: typed(["int"], (n: bigint) => random(n, DIGITS)),
};
