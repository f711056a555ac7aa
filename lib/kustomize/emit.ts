// YAML output as `kustomize build` prints it: each object goes through JSON and out through
// go-yaml v2, so map keys are sorted, lists sit at their key's indentation, strings that would
// read as something else are double-quoted, indicator-led strings single-quoted, multi-line
// strings become literal blocks, long plain/quoted strings fold at 80 columns, and documents are
// separated by "---".
import { plainReadsAsString } from "../yaml/mod.ts";
import { isMap, type KubeObject } from "./resource.ts";

const BEST_WIDTH = 80;

export function emitYaml(objects: KubeObject[]): string {
  return objects.map(emitDocument).join("---\n");
}

export function emitDocument(obj: unknown): string {
  const out: string[] = [];
  if (isMap(obj) && Object.keys(obj).length > 0) writeMap(obj, 0, out, "");
  else if (Array.isArray(obj) && obj.length > 0) writeSeq(obj, 0, out, "");
  else out.push(inlineValue(obj, 0, 0) + "\n");
  return out.join("");
}

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).filter((k) => m[k] !== undefined).sort((a, b) => compareGo(a, b));
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/**
 * go-yaml v2's key order: rune by rune; at the first difference letters compare by code point,
 * a non-letter sorts before a letter, and runs of digits compare as numbers.
 */
export function compareGo(a: string, b: string): number {
  if (a === b) return 0;
  const ar = [...a], br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]), bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! - br[i].codePointAt(0)!;
    if (al || bl) return bl ? -1 : 1;
    let an = 0, bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i, bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an - bn;
    if (ai !== bi) return ai - bi;
    return ar[i].codePointAt(0)! - br[i].codePointAt(0)!;
  }
  return ar.length - br.length;
}

/** `firstPrefix` replaces the indentation of the first line (used for "- " of list items). */
function writeMap(m: Record<string, unknown>, indent: number, out: string[], firstPrefix: string) {
  const pad = " ".repeat(indent);
  let first = true;
  for (const key of sortedKeys(m)) {
    const lead = first && firstPrefix ? firstPrefix : pad;
    first = false;
    const k = scalarText(key, indent, lead.length, true);
    const v = m[key];
    if (isMap(v) && Object.keys(v).some((x) => v[x] !== undefined)) {
      out.push(`${lead}${k}:\n`);
      writeMap(v, indent + 2, out, "");
    } else if (Array.isArray(v) && v.length > 0) {
      out.push(`${lead}${k}:\n`);
      writeSeq(v, indent, out, "");
    } else {
      const column = lead.length + k.length + 2;
      out.push(`${lead}${k}: ${inlineValue(v, indent + 2, column)}\n`);
    }
  }
}

function writeSeq(list: unknown[], indent: number, out: string[], firstPrefix: string) {
  const pad = " ".repeat(indent);
  list.forEach((item, i) => {
    const lead = (i === 0 && firstPrefix ? firstPrefix : pad) + "- ";
    if (isMap(item) && Object.keys(item).some((x) => item[x] !== undefined)) {
      writeMap(item, indent + 2, out, lead);
    } else if (Array.isArray(item) && item.length > 0) {
      writeSeq(item, indent + 2, out, lead);
    } else {
      out.push(`${lead}${inlineValue(item, indent + 2, lead.length)}\n`);
    }
  });
}

function inlineValue(v: unknown, indent: number, column: number): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return "[]";
  if (isMap(v)) return "{}";
  return scalarText(String(v), indent, column, false);
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) for non-integers; integers print plainly. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const [mantissa, exp] = n.toExponential().split("e");
  const e = Number(exp);
  if (e < -4 || e >= 21 || (!Number.isInteger(n) && e >= 6)) {
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(n);
}

// ---- strings -------------------------------------------------------------------------------

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const isBreak = (c: string) =>
  c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankZ = (c: string | undefined) =>
  c === undefined || c === " " || c === "\t" || isBreak(c) || c === "\0";

/** go-yaml v2's test, which (unlike the YAML spec) counts no character above U+FFFF. */
function isPrintable(c: string): boolean {
  const x = c.codePointAt(0)!;
  return x === 0x0a || (x >= 0x20 && x <= 0x7e) || (x >= 0xa0 && x <= 0xd7ff) ||
    (x >= 0xe000 && x <= 0xfffd && x !== 0xfeff);
}

function analyze(s: string): Analysis {
  const chars = [...s];
  // Output is block style only, so only the block-context indicators matter.
  let blockIndicators = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  let lineBreaks = false, special = false;
  if (s.startsWith("---") || s.startsWith("...")) blockIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankZ(chars[1]);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const first = i === 0, last = i === chars.length - 1;
    if (first) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      if (c === "?" || c === ":") {
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === "-" && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ":") {
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === "#" && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c) || c === "\uFEFF") special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === " ") {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = isBlankZ(c);
    followedByWhitespace = isBlankZ(chars[i + 2]);
  }
  let blockPlainAllowed = true, singleQuotedAllowed = true, blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/**
 * The text of a string scalar. `indent` is where continuation lines start, `column` where the
 * scalar itself starts (for folding); keys never fold.
 */
function scalarText(s: string, indent: number, column: number, isKey: boolean): string {
  if (s === "") return '""';
  const a = analyze(s);
  if (s.includes("\n") && !isKey) {
    if (a.blockAllowed) return literal(s, indent);
    return doubleQuoted(s, indent, column, !isKey);
  }
  if (plainReadsAsString(s)) {
    if (a.blockPlainAllowed && !a.multiline) return plain(s, indent, column, !isKey);
    if (a.singleQuotedAllowed) return singleQuoted(s, indent, column, !isKey);
    return doubleQuoted(s, indent, column, !isKey);
  }
  return doubleQuoted(s, indent, column, !isKey);
}

function literal(s: string, indent: number): string {
  let header = "|";
  const chars = [...s];
  if (chars[0] === " " || isBreak(chars[0])) header += "2";
  const lastChar = chars[chars.length - 1];
  if (!isBreak(lastChar)) header += "-";
  else if (chars.length === 1 || isBreak(chars[chars.length - 2])) header += "+";
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  const pad = " ".repeat(indent);
  return header + "\n" + body.split("\n").map((l) => (l === "" ? "" : pad + l)).join("\n");
}

function folded(
  chars: string[],
  indent: number,
  column: number,
  allowBreaks: boolean,
  emit: (c: string, i: number) => string,
  breakable: (i: number) => boolean,
): string {
  let out = "";
  let col = column;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === " ") {
      if (allowBreaks && !spaces && col > BEST_WIDTH && breakable(i) && chars[i + 1] !== " ") {
        out += "\n" + " ".repeat(indent);
        col = indent;
      } else {
        out += c;
        col++;
      }
      spaces = true;
    } else {
      const text = emit(c, i);
      out += text;
      col += [...text].length;
      spaces = false;
    }
  }
  return out;
}

function plain(s: string, indent: number, column: number, allowBreaks: boolean): string {
  return folded([...s], indent, column, allowBreaks, (c) => c, () => true);
}

function singleQuoted(s: string, indent: number, column: number, allowBreaks: boolean): string {
  const chars = [...s];
  // U+2028/U+2029 are line breaks to go-yaml: written as is, the next line starts indented.
  const body = folded(
    chars,
    indent,
    column + 1,
    allowBreaks,
    (c) => (c === "'" ? "''" : c),
    (i) => i !== 0 && i !== chars.length - 1,
  ).replace(/([\u2028\u2029])(?=[^\u2028\u2029])/g, `$1${" ".repeat(indent)}`);
  return `'${body}'`;
}

const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\b": "b",
  "\t": "t",
  "\n": "n",
  "\x0b": "v",
  "\f": "f",
  "\r": "r",
  "\x1b": "e",
  '"': '"',
  "\\": "\\",
  "\u0085": "N",
  "\u00a0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

function doubleQuoted(s: string, indent: number, column: number, allowBreaks: boolean): string {
  const chars = [...s];
  // go-yaml v2 tests for a byte order mark at the start of the string instead of at each
  // character, so a string that starts with one is escaped character by character.
  const escapeAll = chars[0] === "\uFEFF";
  let out = '"';
  let col = column + 1;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (
      escapeAll || !isPrintable(c) || isBreak(c) || c === '"' || c === "\\"
    ) {
      let esc = ESCAPES[c];
      if (esc === undefined) {
        const x = c.codePointAt(0)!;
        esc = x <= 0xff
          ? "x" + x.toString(16).toUpperCase().padStart(2, "0")
          : x <= 0xffff
          ? "u" + x.toString(16).toUpperCase().padStart(4, "0")
          : "U" + x.toString(16).toUpperCase().padStart(8, "0");
      }
      out += "\\" + esc;
      col += 1 + esc.length;
      spaces = false;
    } else if (c === " ") {
      if (allowBreaks && !spaces && col > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        out += "\n" + " ".repeat(indent);
        col = indent;
        if (chars[i + 1] === " ") {
          out += "\\";
          col++;
        }
      } else {
        out += c;
        col++;
      }
      spaces = true;
    } else {
      out += c;
      col++;
      spaces = false;
    }
  }
  return out + '"';
}
