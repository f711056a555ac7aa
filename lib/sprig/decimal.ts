// The bits of shopspring/decimal that Sprig's addf/subf/mulf/divf use: exact decimal arithmetic
// on the shortest representation of each float64, division rounded to 16 places.

interface Dec {
  /** value = coef × 10^exp */
  coef: bigint;
  exp: number;
}

export function fromFloat(f: number): Dec {
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${f}`);
  const [mant, e] = f.toExponential().split("e");
  const digits = mant.replace(".", "").replace("-", "");
  const frac = mant.includes(".") ? mant.split(".")[1].length : 0;
  const coef = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { coef, exp: Number(e) - frac };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

export function add(a: Dec, b: Dec): Dec {
  const [x, y, exp] = align(a, b);
  return { coef: x + y, exp };
}

export function sub(a: Dec, b: Dec): Dec {
  const [x, y, exp] = align(a, b);
  return { coef: x - y, exp };
}

export function mul(a: Dec, b: Dec): Dec {
  return { coef: a.coef * b.coef, exp: a.exp + b.exp };
}

/** DivRound(b, 16): half away from zero. Division by zero panics in Go. */
export function div(a: Dec, b: Dec): Dec {
  if (b.coef === 0n) throw new Error("decimal division by 0");
  const places = 16;
  // a/b = (a.coef / b.coef) × 10^(a.exp - b.exp); scale so the quotient has `places` decimals.
  const shift = places + a.exp - b.exp;
  let num = a.coef;
  let den = b.coef;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  // one extra digit for rounding
  const q10 = (num * 10n) / den;
  let q = q10 / 10n;
  const last = q10 % 10n;
  if (last >= 5n) q += 1n;
  else if (last <= -5n) q -= 1n;
  return { coef: q, exp: -places };
}

export function toFloat(d: Dec): number {
  return Number(`${d.coef}e${d.exp}`);
}
