// Go's fmt package for the value model: Sprint, Sprintln, Sprintf with verbs, flags, width,
// precision, argument indexes, and Go's error notation (%!d(string=x), %!v(MISSING), EXTRA).
import { goQuote } from "./lex.ts";
import { formatFloat, formatHexFloat } from "./strconv.ts";
import { GoFloat32, GoInt, isPlainMap, isStruct, typeName } from "./value.ts";

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid?: number;
  prec?: number;
  /** %+v / %#v variants, which change how containers print. */
  plusV: boolean;
  sharpV: boolean;
}

function noFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
  };
}

function isGoString(v: unknown): boolean {
  return typeof v === "string";
}

/** fmt.Sprint: operands joined, with a space between two operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = "";
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && !isGoString(args[i]) && !isGoString(args[i - 1])) out += " ";
    out += formatArg(args[i], "v", noFlags());
  }
  return out;
}

/** fmt.Sprintln: operands always separated by spaces, newline appended. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatArg(a, "v", noFlags())).join(" ") + "\n";
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;
  while (i < end) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f = noFlags();
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case "#":
          f.sharp = true;
          break;
        case "0":
          f.zero = !f.minus;
          break;
        case "+":
          f.plus = true;
          break;
        case "-":
          f.minus = true;
          f.zero = false;
          break;
        case " ":
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    let afterIndex = false;
    let badIndex = false;
    let bad = false;
    // Argument index [n].
    if (format[i] === "[") reordered = true;
    [argNum, i, afterIndex, bad] = argNumber(argNum, format, i, args.length);
    badIndex ||= bad;
    // Width.
    if (format[i] === "*") {
      i++;
      const [n, ok, next] = intFromArg(args, argNum);
      argNum = next;
      if (!ok) out += "%!(BADWIDTH)";
      else {
        f.wid = n;
        if (n < 0) {
          f.wid = -n;
          f.minus = true;
          f.zero = false;
        }
      }
      afterIndex = false;
    } else {
      const start = i;
      while (i < end && format[i] >= "0" && format[i] <= "9") i++;
      if (i > start) {
        f.wid = Number(format.slice(start, i));
        if (afterIndex) out += "%!(BADWIDTH)";
      }
    }
    // Precision.
    if (i + 1 <= end && format[i] === ".") {
      i++;
      if (afterIndex) out += "%!(BADPREC)";
      if (format[i] === "[") reordered = true;
      [argNum, i, afterIndex, bad] = argNumber(argNum, format, i, args.length);
      badIndex ||= bad;
      if (format[i] === "*") {
        i++;
        const [n, ok, next] = intFromArg(args, argNum);
        argNum = next;
        if (!ok || n < 0) out += "%!(BADPREC)";
        else f.prec = n;
        afterIndex = false;
      } else {
        const start = i;
        while (i < end && format[i] >= "0" && format[i] <= "9") i++;
        f.prec = Number(format.slice(start, i) || "0");
      }
    }
    if (!afterIndex) {
      if (format[i] === "[") reordered = true;
      [argNum, i, afterIndex, bad] = argNumber(argNum, format, i, args.length);
      badIndex ||= bad;
    }
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (badIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === "v") {
      if (f.sharp) {
        f.sharp = false;
        f.sharpV = true;
      }
      if (f.plus) {
        f.plus = false;
        f.plusV = true;
      }
    }
    out += formatArg(args[argNum++], verb, f);
  }
  if (!reordered && argNum < args.length) {
    out += "%!(EXTRA ";
    out += args.slice(argNum).map((a) =>
      a === null || a === undefined ? "<nil>" : `${typeName(a)}=${formatArg(a, "v", noFlags())}`
    ).join(
      ", ",
    );
    out += ")";
  }
  return out;
}

/** Go's argNumber: an explicit [n] index; `bad` when it names no argument. */
function argNumber(
  argNum: number,
  format: string,
  i: number,
  numArgs: number,
): [number, number, boolean, boolean] {
  if (format[i] !== "[") return [argNum, i, false, false];
  const close = format.indexOf("]", i);
  if (close < 0 || format.length - i < 3) return [argNum, i + 1, false, true];
  const text = format.slice(i + 1, close);
  if (!/^\d+$/.test(text)) return [argNum, close + 1, false, true];
  const n = Number(text) - 1;
  if (n < 0 || n >= numArgs) return [argNum, close + 1, true, true];
  return [n, close + 1, true, false];
}

function intFromArg(args: readonly unknown[], argNum: number): [number, boolean, number] {
  if (argNum >= args.length) return [0, false, argNum];
  const a = args[argNum];
  if (typeof a === "bigint") return [Number(a), true, argNum + 1];
  if (a instanceof GoInt) return [Number(a.value), true, argNum + 1];
  return [0, false, argNum + 1];
}

// ---- padding ----

function pad(s: string, f: Flags): string {
  if (f.wid === undefined) return s;
  const len = [...s].length;
  if (len >= f.wid) return s;
  const fill = (f.zero ? "0" : " ").repeat(f.wid - len);
  return f.minus ? s + " ".repeat(f.wid - len) : fill + s;
}

function padSpaces(s: string, f: Flags): string {
  return pad(s, { ...f, zero: false });
}

// ---- one argument ----

/** Formats one operand with a verb, as fmt's printArg does. */
export function formatArg(arg: unknown, verb: string, f: Flags = noFlags()): string {
  if (arg === null || arg === undefined) {
    if (verb === "T" || verb === "v") return pad("<nil>", f);
    return badVerb(verb, arg, f);
  }
  if (verb === "T") return pad(typeName(arg), f);
  if (verb === "p") return badVerb(verb, arg, f);
  return formatValue(arg, verb, f, 0);
}

/** %!verb(type=value): the value is printed with %v and the directive's own flags. */
function badVerb(verb: string, arg: unknown, f: Flags = noFlags()): string {
  if (arg === null || arg === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(arg)}=${formatValue(arg, "v", f, 0)})`;
}

function formatValue(v: unknown, verb: string, f: Flags, depth: number): string {
  if (v === null || v === undefined) {
    // A nil element of a container prints bare, whatever the verb and flags.
    return depth === 0 ? formatArg(v, verb, f) : "<nil>";
  }
  switch (typeof v) {
    case "boolean":
      return verb === "t" || verb === "v" ? pad(v ? "true" : "false", f) : badVerb(verb, v, f);
    case "bigint":
      return fmtInteger(v, true, verb, f, v);
    case "number":
      return fmtFloat(v, verb, f, v);
    case "string":
      return fmtString(v, verb, f);
    case "function":
      return verb === "v" ? pad("0xc000010000", f) : badVerb(verb, v, f);
  }
  if (v instanceof GoInt) return fmtInteger(v.value, !v.kind.startsWith("u"), verb, f, v);
  if (v instanceof GoFloat32) return fmtFloat(v.value, verb, f, v, true);
  // Error() and String() methods win for the string-ish verbs, as in handleMethods.
  if ("svxXq".includes(verb)) {
    const obj = v as { Error?: () => string; String?: () => string };
    if (!f.sharpV && isStruct(v)) {
      if (typeof obj.Error === "function") return fmtString(obj.Error(), verb, f);
      if (typeof obj.String === "function") return fmtString(obj.String(), verb, f);
    }
  }
  if (v instanceof Uint8Array) {
    if ("sqxX".includes(verb)) return fmtString(new TextDecoder().decode(v), verb, f);
    return fmtList([...v].map((b) => new GoInt(BigInt(b), "uint8")), verb, f, depth, v);
  }
  if (Array.isArray(v)) return fmtList(v, verb, f, depth, v);
  if (isPlainMap(v)) {
    if (f.sharpV) {
      const parts = Object.keys(v).sort().map((k) =>
        `${goQuote(k)}:${formatValue(v[k], verb, f, depth + 1)}`
      );
      return `${typeName(v)}{${parts.join(", ")}}`;
    }
    const keys = Object.keys(v).sort(compareKeys);
    const parts = keys.map((k) =>
      `${formatValue(k, verb, f, depth + 1)}:${formatValue(v[k], verb, f, depth + 1)}`
    );
    return `map[${parts.join(" ")}]`;
  }
  // A struct: its own enumerable fields in declaration order.
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) =>
    typeof x !== "function"
  );
  const parts = entries.map(([k, x]) =>
    (f.plusV || f.sharpV ? `${k}:` : "") + formatValue(x, verb, f, depth + 1)
  );
  return `{${parts.join(f.sharpV ? ", " : " ")}}`;
}

/** Go's fmtsort order for string keys: bytewise, which equals code unit order for BMP text. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fmtList(
  list: readonly unknown[],
  verb: string,
  f: Flags,
  depth: number,
  v: unknown,
): string {
  if (f.sharpV) {
    return `${typeName(v)}{${list.map((x) => formatValue(x, verb, f, depth + 1)).join(", ")}}`;
  }
  return `[${list.map((x) => formatValue(x, verb, f, depth + 1)).join(" ")}]`;
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case "v":
      if (f.sharpV) return pad(goQuote(s), f);
      return pad(truncate(s, f), f);
    case "s":
      return pad(truncate(s, f), f);
    case "q":
      return pad(quoteString(truncate(s, f), f), f);
    case "x":
    case "X":
      return fmtHexBytes(new TextEncoder().encode(truncateBytes(s, f)), verb, f);
  }
  return badVerb(verb, s, f);
}

function truncate(s: string, f: Flags): string {
  if (f.prec === undefined) return s;
  return [...s].slice(0, f.prec).join("");
}

function truncateBytes(s: string, f: Flags): string {
  return f.prec === undefined ? s : [...s].slice(0, f.prec).join("");
}

function quoteString(s: string, f: Flags): string {
  // deno-lint-ignore no-control-regex
  if (f.sharp && !s.includes("`") && !/[\x00-\x08\x0a-\x1f\x7f]/.test(s)) return "`" + s + "`";
  if (f.plus) {
    // deno-lint-ignore no-control-regex
    return goQuote(s).replace(/[^\x00-\x7f]/gu, (ch) => {
      const c = ch.codePointAt(0)!;
      return c < 0x10000
        ? `\\u${c.toString(16).padStart(4, "0")}`
        : `\\U${c.toString(16).padStart(8, "0")}`;
    });
  }
  return goQuote(s);
}

function fmtHexBytes(bytes: Uint8Array, verb: string, f: Flags): string {
  const digits = verb === "x" ? "0123456789abcdef" : "0123456789ABCDEF";
  const parts: string[] = [];
  for (const b of bytes) {
    let s = digits[b >> 4] + digits[b & 15];
    if (f.sharp && (f.space || parts.length === 0)) s = (verb === "x" ? "0x" : "0X") + s;
    parts.push(s);
  }
  return pad(parts.join(f.space ? " " : ""), f);
}

function fmtInteger(n: bigint, signed: boolean, verb: string, f: Flags, orig: unknown): string {
  switch (verb) {
    case "v":
      if (f.sharpV && !signed) return intBase(n, 16, true, "x", { ...f, sharp: true });
      return intBase(n, 10, signed, verb, f);
    case "d":
      return intBase(n, 10, signed, verb, f);
    case "b":
      return intBase(n, 2, signed, verb, f);
    case "o":
    case "O":
      return intBase(n, 8, signed, verb, f);
    case "x":
      return intBase(n, 16, signed, verb, f);
    case "X":
      return intBase(n, 16, signed, verb, f, true);
    case "c":
      return pad(String.fromCodePoint(validRune(n)), f);
    case "q":
      return pad(quoteRune(validRune(n), f), f);
    case "U": {
      let s = "U+" + (n < 0n ? BigInt.asUintN(64, n) : n).toString(16).toUpperCase().padStart(
        Math.max(4, f.prec ?? 0),
        "0",
      );
      const r = Number(n);
      if (f.sharp && r >= 0 && r <= 0x10ffff) s += ` '${String.fromCodePoint(r)}'`;
      return pad(s, f);
    }
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      return badVerb(verb, orig, f);
  }
  return badVerb(verb, orig, f);
}

function validRune(n: bigint): number {
  if (n < 0n || n > 0x10ffffn || (n >= 0xd800n && n < 0xe000n)) return 0xfffd;
  return Number(n);
}

function quoteRune(r: number, f: Flags): string {
  const ch = String.fromCodePoint(r);
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  const q = goQuote(ch).slice(1, -1);
  if (f.plus && r > 0x7f) {
    return r < 0x10000
      ? `'\\u${r.toString(16).padStart(4, "0")}'`
      : `'\\U${r.toString(16).padStart(8, "0")}'`;
  }
  return `'${q}'`;
}

function intBase(
  n: bigint,
  base: number,
  signed: boolean,
  verb: string,
  f: Flags,
  upper = false,
): string {
  const negative = signed && n < 0n;
  let u = negative ? -n : (n < 0n ? BigInt.asUintN(64, n) : n);
  let prec = 0;
  if (f.prec !== undefined) {
    prec = f.prec;
    if (prec === 0 && u === 0n) return padSpaces("", f);
  } else if (f.zero && f.wid !== undefined) {
    prec = f.wid;
    if (negative || f.plus || f.space) prec--;
  }
  let digits = u.toString(base);
  if (upper) digits = digits.toUpperCase();
  u = 0n;
  if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 2) digits = "0b" + digits;
    else if (base === 8 && digits[0] !== "0") digits = "0" + digits;
    else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
  }
  if (verb === "O") digits = "0o" + digits;
  if (negative) digits = "-" + digits;
  else if (f.plus) digits = "+" + digits;
  else if (f.space) digits = " " + digits;
  return padSpaces(digits, f);
}

function fmtFloat(x: number, verb: string, f: Flags, orig: unknown, is32 = false): string {
  let conv: string;
  let prec = -1;
  switch (verb) {
    case "v":
      conv = "g";
      break;
    case "e":
    case "E":
    case "f":
    case "F":
      conv = verb === "F" ? "f" : verb;
      prec = 6;
      break;
    case "g":
    case "G":
      conv = verb;
      break;
    case "x":
    case "X":
      conv = verb;
      break;
    case "b":
      return pad(binaryFloat(x), f);
    default:
      return badVerb(verb, orig, f);
  }
  if (f.prec !== undefined) prec = f.prec;
  let num: string;
  if (conv === "x" || conv === "X") num = formatHexFloat(x, prec, conv === "X");
  else if (is32 && prec < 0) num = shortest32(x, conv);
  else num = formatFloat(x, conv, prec);
  let sign = "+";
  if (num[0] === "-" || num[0] === "+") {
    sign = num[0];
    num = num.slice(1);
  }
  if (f.space && sign === "+" && !f.plus) sign = " ";
  if (num === "Inf" || num === "NaN") {
    if (num === "NaN" && !f.space && !f.plus) sign = "";
    const s = (sign === "+" && !f.plus ? "" : sign) + num;
    return padSpaces(s === "Inf" ? "+Inf" : s, f);
  }
  if (f.sharp) num = sharpFloat(num, verb, prec);
  const showSign = f.plus || sign !== "+";
  if (showSign) {
    if (f.zero && f.wid !== undefined && f.wid > num.length + 1) {
      return sign + "0".repeat(f.wid - num.length - 1) + num;
    }
    return padSpaces(sign + num, f);
  }
  return pad(num, f);
}

function shortest32(x: number, conv: string): string {
  // Shortest digits that identify the float32: try increasing precision.
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === Math.fround(x)) {
      return formatFloat(Number(s), conv, -1);
    }
  }
  return formatFloat(x, conv, -1);
}

function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if ("vgG".includes(verb)) digits = prec === -1 ? 6 : prec;
  let tail = "";
  const e = num.search(/[eE]/);
  if (e >= 0) {
    tail = num.slice(e);
    num = num.slice(0, e);
  }
  let sawNonzero = false;
  for (const c of num) {
    if (c === ".") continue;
    if (c !== "0") sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!num.includes(".")) {
    if (num === "0") digits--;
    num += ".";
  }
  if ("vgG".includes(verb)) { while (digits-- > 0) num += "0"; }
  return num + tail;
}

/** %b of a float: decimalless mantissa and binary exponent, "4503599627370496p-52". */
function binaryFloat(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return `${neg ? "-" : ""}${mant}p${exp >= 0 ? "+" : ""}${exp}`;
}
