// Sprig's math: int64 arithmetic through cast.ToInt64 (wrapping like Go), float64 arithmetic
// through shopspring/decimal, rounding and bounds.
import { type FuncMap, GoInt, GoPanic, typed } from "../gotemplate/mod.ts";
import { toFloat64, toInt64 } from "./cast.ts";
import * as decimal from "./decimal.ts";

const i64 = (n: bigint) => new GoInt(BigInt.asIntN(64, n), "int64");

function decimalOp(
  a: unknown,
  rest: unknown[],
  op: (
    x: ReturnType<typeof decimal.fromFloat>,
    y: ReturnType<typeof decimal.fromFloat>,
  ) => ReturnType<typeof decimal.fromFloat>,
): number {
  try {
    let acc = decimal.fromFloat(toFloat64(a));
    for (const x of rest) acc = op(acc, decimal.fromFloat(toFloat64(x)));
    return decimal.toFloat(acc);
  } catch (e) {
    throw new GoPanic((e as Error).message);
  }
}

function divide(a: bigint, b: bigint, what: "div" | "mod"): bigint {
  if (b === 0n) throw new GoPanic("runtime error: integer divide by zero");
  return what === "div" ? a / b : a % b;
}

function round(a: unknown, p: bigint, ...opt: number[]): number {
  const roundOn = opt.length > 0 ? opt[0] : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(p));
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

function toDecimal(v: unknown): GoInt {
  const s = v === null || v === undefined
    ? "<nil>"
    : String(typeof v === "object" && v instanceof GoInt ? v.value : v);
  if (!/^[+-]?[0-7]+$/.test(s)) return i64(0n);
  const neg = s.startsWith("-");
  const n = BigInt("0o" + s.replace(/^[+-]/, ""));
  if (n > (1n << 63n) - (neg ? 0n : 1n)) return i64(0n);
  return i64(neg ? -n : n);
}

export const mathFuncs: FuncMap = {
  int64: typed(["any"], (v: unknown) => i64(toInt64(v))),
  int: typed(["any"], (v: unknown) => toInt64(v)),
  float64: typed(["any"], (v: unknown) => toFloat64(v)),
  toDecimal: typed(["any"], toDecimal),
  add1: typed(["any"], (v: unknown) => i64(toInt64(v) + 1n)),
  add: typed(
    [],
    (...v: unknown[]) => i64(v.reduce<bigint>((a, b) => BigInt.asIntN(64, a + toInt64(b)), 0n)),
    "any",
  ),
  sub: typed(["any", "any"], (a: unknown, b: unknown) => i64(toInt64(a) - toInt64(b))),
  div: typed(
    ["any", "any"],
    (a: unknown, b: unknown) => i64(divide(toInt64(a), toInt64(b), "div")),
  ),
  mod: typed(
    ["any", "any"],
    (a: unknown, b: unknown) => i64(divide(toInt64(a), toInt64(b), "mod")),
  ),
  mul: typed(
    ["any"],
    (a: unknown, ...v: unknown[]) =>
      i64(v.reduce<bigint>((x, b) => BigInt.asIntN(64, x * toInt64(b)), toInt64(a))),
    "any",
  ),
  randInt: typed(["int", "int"], (min: bigint, max: bigint) => {
    const span = max - min;
    if (span <= 0n) throw new GoPanic("invalid argument to Intn");
    return min + BigInt(Math.floor(Math.random() * Number(span)));
  }),
  add1f: typed(["any"], (v: unknown) => decimalOp(v, [1], decimal.add)),
  addf: typed([], (...v: unknown[]) => decimalOp(0, v, decimal.add), "any"),
  subf: typed(["any"], (a: unknown, ...v: unknown[]) => decimalOp(a, v, decimal.sub), "any"),
  divf: typed(["any"], (a: unknown, ...v: unknown[]) => decimalOp(a, v, decimal.div), "any"),
  mulf: typed(["any"], (a: unknown, ...v: unknown[]) => decimalOp(a, v, decimal.mul), "any"),
  biggest: typed(
    ["any"],
    (a: unknown, ...v: unknown[]) =>
      i64(v.reduce<bigint>((x, b) => toInt64(b) > x ? toInt64(b) : x, toInt64(a))),
    "any",
  ),
  max: typed(
    ["any"],
    (a: unknown, ...v: unknown[]) =>
      i64(v.reduce<bigint>((x, b) => toInt64(b) > x ? toInt64(b) : x, toInt64(a))),
    "any",
  ),
  min: typed(
    ["any"],
    (a: unknown, ...v: unknown[]) =>
      i64(v.reduce<bigint>((x, b) => toInt64(b) < x ? toInt64(b) : x, toInt64(a))),
    "any",
  ),
  maxf: typed(
    ["any"],
    (a: unknown, ...v: unknown[]) =>
      v.reduce<number>((x, b) => goMax(x, toFloat64(b)), toFloat64(a)),
    "any",
  ),
  minf: typed(
    ["any"],
    (a: unknown, ...v: unknown[]) =>
      v.reduce<number>((x, b) => goMin(x, toFloat64(b)), toFloat64(a)),
    "any",
  ),
  ceil: typed(["any"], (v: unknown) => Math.ceil(toFloat64(v))),
  floor: typed(["any"], (v: unknown) => Math.floor(toFloat64(v))),
  round: typed(["any", "int"], round, "float64"),
};

function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}

function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}
