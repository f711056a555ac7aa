// A YAML writer that produces go-yaml v2's output byte for byte, for the JSON-shaped values
// Helm's toYaml hands it (via sigs.k8s.io/yaml): keys in go-yaml's natural order, sequences not
// indented under their key, strings plain when they read back as strings and quoted otherwise,
// multi-line strings as literal blocks, and long lines folded after column 80.
import { JsonNumber, type JsonValue } from "./json_value.ts";
import { formatFloatG } from "./go_float.ts";
import { plainReadsAsString } from "../../yaml/mod.ts";

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

type Style = "plain" | "single" | "double" | "literal";

const isBreak = (c: string | undefined) =>
  c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankz = (c: string | undefined) =>
  c === undefined || c === " " || c === "\t" || isBreak(c);

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(chars: string[]): Analysis {
  if (chars.length === 0) {
    return {
      multiline: false,
      flowPlain: false,
      blockPlain: true,
      singleQuoted: true,
      block: false,
    };
  }
  let blockIndicators = false, flowIndicators = false, lineBreaks = false, special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  const head = chars.slice(0, 3).join("");
  if (head === "---" || head === "...") {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = isBlankz(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === "?" || c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (",?[]{}".includes(c)) flowIndicators = true;
      else if (c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "#" && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(c)) special = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  const a: Analysis = {
    multiline: lineBreaks,
    flowPlain: true,
    blockPlain: true,
    singleQuoted: true,
    block: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) {
    a.flowPlain =
      a.blockPlain =
      a.singleQuoted =
      a.block =
        false;
  }
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

function pickStyle(s: string, chars: string[], simpleKey: boolean): Style {
  // The encoder's wish: literal for multi-line text, plain when the text reads back as a
  // string, double quotes otherwise; the emitter then downgrades what the text cannot carry.
  let style: Style;
  if (s.includes("\n")) style = "literal";
  else if (plainReadsAsString(s)) style = "plain";
  else style = "double";
  const a = analyze(chars);
  if (style === "plain") {
    if (!a.blockPlain) style = "single";
    if (chars.length === 0 && simpleKey) style = "single";
  }
  if (style === "single" && !a.singleQuoted) style = "double";
  if (style === "literal" && (!a.block || simpleKey)) style = "double";
  return style;
}

const ESCAPES: Record<number, string> = {
  0x00: "0",
  0x07: "a",
  0x08: "b",
  0x09: "t",
  0x0a: "n",
  0x0b: "v",
  0x0c: "f",
  0x0d: "r",
  0x1b: "e",
  0x22: '"',
  0x5c: "\\",
  0x85: "N",
  0xa0: "_",
  0x2028: "L",
  0x2029: "P",
};

/** go-yaml v2's key order: like strings, but runs of digits compare as numbers. */
export function compareKeys(a: string, b: string): number {
  const ar = [...a], br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]), bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! - br[i].codePointAt(0)!;
    if (al || bl) return bl ? -1 : 1;
    let an = 0n, bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i, bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) {
      an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    }
    for (; bi < br.length && isDigit(br[bi]); bi++) {
      bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    }
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai - bi;
    return ar[i].codePointAt(0)! - br[i].codePointAt(0)!;
  }
  return ar.length - br.length;
}

class Emitter {
  constructor(
    /** Indent block sequences under their key (go-yaml v3 with SetIndent(2)) instead of v2's flush style. */
    private readonly indentSequences = false,
  ) {}
  private out = "";
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private openEnded = false;

  result(): string {
    return this.out;
  }

  private put(s: string): void {
    this.out += s;
    this.column++;
  }

  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.putBreak();
    }
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(
    ind: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ) {
    if (needWhitespace && !this.whitespace) this.put(" ");
    this.out += ind;
    this.column += ind.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  document(v: JsonValue): void {
    this.node(v, false, false);
    if (this.openEnded) {
      this.writeIndent();
    }
    // Document end: finish the last line.
    this.writeIndent();
  }

  private node(v: JsonValue, mappingContext: boolean, simpleKey: boolean): void {
    if (v === null) return this.scalar("null", true, simpleKey);
    if (typeof v === "boolean") return this.scalar(v ? "true" : "false", true, simpleKey);
    if (v instanceof JsonNumber) return this.scalar(numberText(v.text), true, simpleKey);
    if (typeof v === "string") return this.scalar(v, false, simpleKey);
    if (Array.isArray(v)) {
      if (v.length === 0) return this.emptyFlow("[", "]");
      return this.sequence(v, mappingContext);
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return this.emptyFlow("{", "}");
    this.mapping(v, keys.sort(compareKeys));
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private mapping(v: { [k: string]: JsonValue }, keys: string[]): void {
    this.increaseIndent(false, false);
    for (const k of keys) {
      this.writeIndent();
      this.scalar(k, false, true);
      this.writeIndicator(":", false, false, false);
      this.node(v[k], true, false);
    }
    this.popIndent();
  }

  private sequence(v: JsonValue[], mappingContext: boolean): void {
    this.increaseIndent(false, !this.indentSequences && mappingContext && !this.indention);
    for (const item of v) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, false, false);
    }
    this.popIndent();
  }

  /** `typed` scalars (numbers, bools, null) are written plain as they are. */
  private scalar(s: string, typed: boolean, simpleKey: boolean): void {
    const chars = [...s];
    const style: Style = typed ? "plain" : pickStyle(s, chars, simpleKey);
    this.increaseIndent(true, false);
    const allowBreaks = !simpleKey;
    switch (style) {
      case "plain":
        this.plain(chars, allowBreaks);
        break;
      case "single":
        this.singleQuoted(chars, allowBreaks);
        break;
      case "double":
        this.doubleQuoted(chars, allowBreaks);
        break;
      case "literal":
        this.literal(chars);
        break;
    }
    this.popIndent();
  }

  private plain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== " ") {
          this.writeIndent();
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === " ") {
        if (
          allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 &&
          chars[i + 1] !== " "
        ) {
          this.writeIndent();
        } else this.put(c);
        spaces = true;
      } else {
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.writeIndicator("'", false, false, false);
  }

  private doubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const cp = c.codePointAt(0)!;
      if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === "\\") {
        this.put("\\");
        const short = ESCAPES[cp];
        if (short !== undefined) this.put(short);
        else {
          const hex = cp.toString(16).toUpperCase();
          const [tag, width] = cp <= 0xff ? ["x", 2] : cp <= 0xffff ? ["u", 4] : ["U", 8];
          this.put(tag);
          for (const h of hex.padStart(width, "0")) this.put(h);
        }
        spaces = false;
      } else if (c === " ") {
        if (
          allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1
        ) {
          this.writeIndent();
          if (chars[i + 1] === " ") this.put("\\");
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
  }

  private literal(chars: string[]): void {
    this.writeIndicator("|", true, false, false);
    if (chars[0] === " " || isBreak(chars[0])) this.put(String(BEST_INDENT));
    this.openEnded = false;
    const last = chars[chars.length - 1];
    if (!isBreak(last)) this.put("-");
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) {
      this.put("+");
      this.openEnded = true;
    }
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        if (c === "\n") this.putBreak();
        else {
          this.out += c;
          this.column = 0;
        }
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          breaks = false;
        }
        this.put(c);
        this.indention = false;
      }
    }
  }
}

/** How go-yaml writes a number read from JSON text: integers as they are, floats as %g. */
function numberText(text: string): string {
  if (/^-?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(1n << 63n) && n < 1n << 64n) return text;
  }
  return formatFloatG(Number(text));
}

/** go-yaml v2's Marshal of a JSON-shaped value (what sigs.k8s.io/yaml.Marshal produces). */
export function emitYaml(v: JsonValue, options: { indentSequences?: boolean } = {}): string {
  const e = new Emitter(options.indentSequences);
  e.document(v);
  return e.result();
}
