// Go's duration syntax ("90s", "1m30s", "1h", "500ms", "-1.5h"), parsed and printed exactly as
// Go's time.ParseDuration and Duration.String do, because Flux documents are written for Go.
// Nanoseconds are kept as bigint: Go's int64 range does not fit a JavaScript number exactly.

export class DurationError extends Error {
  override readonly name = "DurationError";
  constructor(readonly text: string, readonly reason: string) {
    super(`invalid duration "${text}": ${reason}`);
  }
}

const NANOS_PER_UNIT: Record<string, bigint> = {
  "ns": 1n,
  "us": 1_000n,
  "\u00b5s": 1_000n, // micro sign
  "\u03bcs": 1_000n, // Greek mu
  "ms": 1_000_000n,
  "s": 1_000_000_000n,
  "m": 60_000_000_000n,
  "h": 3_600_000_000_000n,
};

const MAX_NANOS = (1n << 63n) - 1n;
const HINT = "expected a number and a unit (ns, us, ms, s, m, h) such as 90s, 1m30s, 1h or 500ms";

/** Parses a Go duration into nanoseconds; throws DurationError. */
export function parseDurationNanos(text: string): bigint {
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw new DurationError(text, HINT);
  let total = 0n;
  while (s !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, intPart, fracPart = ""] = number;
    if (intPart === "" && fracPart === "") throw new DurationError(text, HINT);
    s = s.slice(whole.length);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (!unitMatch) throw new DurationError(text, `missing unit; ${HINT}`);
    const unitText = unitMatch[0];
    const unit = NANOS_PER_UNIT[unitText];
    if (unit === undefined) {
      throw new DurationError(text, `unknown unit "${unitText}"; ${HINT}`);
    }
    s = s.slice(unitText.length);
    let value = BigInt(intPart || "0") * unit;
    if (fracPart !== "") {
      // Go truncates the fraction to whole nanoseconds.
      value += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    }
    total += value;
    if (total > MAX_NANOS + (negative ? 1n : 0n)) {
      throw new DurationError(text, "out of range (at most about 2562047h)");
    }
  }
  return negative ? -total : total;
}

/** Parses a Go duration into milliseconds (fractional when finer than a millisecond). */
export function parseDurationMillis(text: string): number {
  return Number(parseDurationNanos(text)) / 1e6;
}

/** True when `text` is a valid Go duration. */
export function isDuration(text: string): boolean {
  try {
    parseDurationNanos(text);
    return true;
  } catch {
    return false;
  }
}

/** Prints nanoseconds as Go's Duration.String does: "1h2m3.5s", "1.5ms", "0s". */
export function formatDurationNanos(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  if (abs < 1_000_000_000n) {
    // Below a second Go picks the largest unit that keeps a non-zero integer part.
    if (abs < 1_000n) return `${sign}${abs}ns`;
    if (abs < 1_000_000n) return `${sign}${fraction(abs, 1_000n)}\u00b5s`;
    return `${sign}${fraction(abs, 1_000_000n)}ms`;
  }
  const hours = abs / 3_600_000_000_000n;
  const minutes = (abs / 60_000_000_000n) % 60n;
  const seconds = fraction(abs % 60_000_000_000n, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** Prints milliseconds as Go would print the same duration. */
export function formatDurationMillis(millis: number): string {
  return formatDurationNanos(BigInt(Math.round(millis * 1e6)));
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return `${whole}`;
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, "0").replace(/0+$/, "")}`;
}
