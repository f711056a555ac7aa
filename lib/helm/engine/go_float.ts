// Go's float64 text forms that Helm's output depends on: strconv.FormatFloat(f, 'g', -1, 64)
// (go-yaml and fmt's %v) and encoding/json's choice of 'f' or 'e'.

/** Shortest round-trip digits and decimal exponent: 1234.5 → { digits: "12345", exp: 3 }. */
function shortest(f: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(f).toExponential().split("e");
  return { digits: mant.replace(".", ""), exp: Number(e) };
}

function expSuffix(exp: number): string {
  const sign = exp < 0 ? "-" : "+";
  const a = Math.abs(exp);
  return `e${sign}${a < 10 ? "0" : ""}${a}`;
}

function fixed(f: number): string {
  // JS toString is shortest round-trip; it switches to exponent form only for tiny/huge values.
  const { digits, exp } = shortest(f);
  const sign = f < 0 ? "-" : "";
  if (exp >= digits.length - 1) return sign + digits + "0".repeat(exp - digits.length + 1);
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** strconv.FormatFloat(f, 'g', -1, 64). */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const { digits, exp } = shortest(f);
  // Go decides on the exponent form with precision 6 whenever the shortest form is asked for.
  const eprec = 6;
  if (exp < -4 || exp >= eprec) {
    const sign = f < 0 ? "-" : "";
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return sign + mant + expSuffix(exp);
  }
  return fixed(f);
}

/** encoding/json's float64 text; undefined for NaN and infinities (json.Marshal fails). */
export function formatJsonFloat(f: number): string | undefined {
  if (!Number.isFinite(f)) return undefined;
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const abs = Math.abs(f);
  if (abs < 1e-6 || abs >= 1e21) {
    const { digits, exp } = shortest(f);
    const sign = f < 0 ? "-" : "";
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const a = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${a}`;
  }
  return fixed(f);
}
