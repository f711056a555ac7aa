// Go's strconv float formatting (FormatFloat with 'e', 'f', 'g' and shortest precision),
// exact to the digit: shortest digits come from JS (both are shortest round-trip), fixed
// precision rounds the exact binary value half-to-even as Go does (JS's toFixed rounds ties up).

/** Decimal digits of a finite, non-negative double: value = 0.DIGITS × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

/** The shortest digits that read back as `x` (x finite, > 0). */
function shortest(x: number): Decimal {
  const [mant, exp] = x.toExponential().split("e");
  const digits = mant.replace(".", "");
  return { digits, dp: Number(exp) + 1 };
}

/** The exact decimal expansion of `x` (finite, > 0). */
function exact(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mantissa |= 1n << 52n;
    e2 = biased - 1075;
  }
  // value = mantissa × 2^e2
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mantissa << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    // mantissa × 5^-e2 / 10^-e2
    digits = (mantissa * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  digits = digits.replace(/0+$/, "");
  return { digits: digits || "0", dp };
}

/** Rounds to `nd` significant digits, half to even on the exact value. */
function roundTo(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: "", dp: d.dp };
  if (d.digits.length <= nd) return d;
  const keep = d.digits.slice(0, nd);
  const rest = d.digits.slice(nd);
  let up: boolean;
  if (rest[0] > "5") up = true;
  else if (rest[0] < "5") up = false;
  else if (/[1-9]/.test(rest.slice(1))) up = true;
  else up = nd > 0 && Number(keep[nd - 1]) % 2 === 1;
  if (!up) return { digits: keep, dp: d.dp };
  if (keep === "") return { digits: "1", dp: d.dp + 1 };
  const bumped = (BigInt(keep) + 1n).toString();
  if (bumped.length > keep.length) return { digits: bumped.slice(0, nd), dp: d.dp + 1 };
  return { digits: bumped.padStart(nd, "0"), dp: d.dp };
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e, E, f, F, g, G; prec -1 = shortest. */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const body = formatAbs(Math.abs(x), fmt, prec);
  return neg ? "-" + body : body;
}

function formatAbs(x: number, fmt: string, prec: number): string {
  const isShortest = prec < 0;
  let d: Decimal;
  if (x === 0) d = { digits: "", dp: 0 };
  else if (isShortest) d = shortest(x);
  else {
    const e = exact(x);
    switch (fmt) {
      case "e":
      case "E":
        d = roundTo(e, prec + 1);
        break;
      case "f":
      case "F":
        d = roundTo(e, e.dp + prec);
        break;
      default:
        d = roundTo(e, prec === 0 ? 1 : prec);
    }
  }
  switch (fmt) {
    case "e":
    case "E":
      return fmtE(d, isShortest ? Math.max(d.digits.length - 1, 0) : prec, fmt);
    case "f":
    case "F":
      return fmtF(d, isShortest ? Math.max(d.digits.length - d.dp, 0) : prec);
    case "g":
    case "G": {
      const nd = d.digits.length;
      let p = isShortest ? nd : prec === 0 ? 1 : prec;
      let eprec = p;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      if (isShortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (p > nd) p = nd;
        return fmtE(d, p - 1, fmt === "g" ? "e" : "E");
      }
      if (p > d.dp) p = nd;
      return fmtF(d, Math.max(p - d.dp, 0));
    }
  }
  throw new Error(`formatFloat: unsupported format ${fmt}`);
}

function fmtE(d: Decimal, prec: number, e: string): string {
  const digits = d.digits || "0";
  let s = digits[0];
  if (prec > 0) s += "." + digits.slice(1, prec + 1).padEnd(prec, "0");
  const exp = d.digits === "" ? 0 : d.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return `${s}${e}${sign}${abs < 10 ? "0" + abs : abs}`;
}

function fmtF(d: Decimal, prec: number): string {
  let intPart: string;
  if (d.dp > 0) intPart = d.digits.slice(0, d.dp).padEnd(d.dp, "0");
  else intPart = "0";
  if (prec <= 0) return intPart;
  let frac = "";
  for (let i = 0; i < prec; i++) {
    const j = d.dp + i;
    frac += j >= 0 && j < d.digits.length ? d.digits[j] : "0";
  }
  return `${intPart}.${frac}`;
}

/** strconv.FormatFloat(x, 'x', prec, 64): hexadecimal mantissa and binary exponent. */
export function formatHexFloat(x: number, prec: number, upper: boolean): string {
  if (!Number.isFinite(x)) return formatFloat(x, "g", -1);
  const neg = x < 0 || Object.is(x, -0);
  let mant = 0n;
  let exp = 0;
  if (x !== 0) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(x));
    const bits = view.getBigUint64(0);
    const biased = Number((bits >> 52n) & 0x7ffn);
    mant = bits & ((1n << 52n) - 1n);
    if (biased === 0) {
      exp = -1022;
      while (mant < 1n << 52n) {
        mant <<= 1n;
        exp--;
      }
    } else {
      mant |= 1n << 52n;
      exp = biased - 1023;
    }
  }
  let frac = mant & ((1n << 52n) - 1n);
  if (prec >= 0 && prec < 13 && x !== 0) {
    const shift = BigInt((13 - prec) * 4);
    const half = 1n << (shift - 1n);
    const rem = frac & ((1n << shift) - 1n);
    let kept = frac >> shift;
    if (rem > half || (rem === half && (kept & 1n) === 1n)) kept++;
    if (kept >> BigInt(prec * 4) === 1n) {
      kept = 0n;
      exp++;
    }
    frac = kept << shift;
  }
  let digits = frac.toString(16).padStart(13, "0");
  if (prec < 0) digits = digits.replace(/0+$/, "");
  else digits = digits.slice(0, prec).padEnd(prec, "0");
  const lead = x === 0 ? "0" : "1";
  const e = Math.abs(exp);
  let s = `0x${lead}${digits ? "." + digits : ""}p${exp < 0 ? "-" : "+"}${e < 10 ? "0" + e : e}`;
  if (upper) s = s.toUpperCase();
  return (neg ? "-" : "") + s;
}
