// The lexer of Go's text/template: turns template text into items, with Go's rules for
// delimiters, trim markers (`{{- ` and ` -}}`), comments, numbers, strings and keywords.

export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "comment"
  | "assign"
  | "declare"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

const KEYWORDS: Record<string, ItemType> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};

const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS));

export interface Item {
  type: ItemType;
  /** Offset in the text (UTF-16 units; converted to bytes only for error messages). */
  pos: number;
  val: string;
  line: number;
}

/** Go's item.String(), used in "unexpected X in Y" messages. */
export function itemString(i: Item): string {
  if (i.type === "eof") return "EOF";
  if (i.type === "error") return i.val;
  if (KEYWORD_TYPES.has(i.type)) return `<${i.val}>`;
  if (i.val.length > 10) return `${goQuote(i.val.slice(0, 10))}...`;
  return goQuote(i.val);
}

/** Go's %q of a string (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c === 0xfffd && ch !== "\ufffd") out += "\\ufffd";
    else if (isPrintable(c)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return out + '"';
}

function isPrintable(c: number): boolean {
  if (c >= 0x80 && c < 0xa0) return false;
  if (c === 0xad || (c >= 0xd800 && c < 0xe000)) return false;
  if (c === 0x2028 || c === 0x2029 || c === 0xfeff) return false;
  return true;
}

const SPACE = " \t\r\n";

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch !== "" && SPACE.includes(ch);
}

function isAlphaNumeric(ch: string | undefined): boolean {
  if (ch === undefined || ch === "") return false;
  const c = ch.charCodeAt(0);
  if (c < 0x80) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
  }
  return /^[\p{L}\p{Nd}]$/u.test(ch);
}

/** Lexes the whole text into items; a lexical error ends the list with an "error" item. */
export function lex(text: string, leftDelim = "{{", rightDelim = "}}"): Item[] {
  return new Lexer(text, leftDelim || "{{", rightDelim || "}}").run();
}

class Lexer {
  private pos = 0;
  private start = 0;
  private line = 1;
  private startLine = 1;
  private items: Item[] = [];
  private parenDepth = 0;
  private done = false;

  constructor(private text: string, private left: string, private right: string) {}

  run(): Item[] {
    while (!this.done) this.lexText();
    return this.items;
  }

  private emit(type: ItemType, val = this.text.slice(this.start, this.pos)): void {
    this.items.push({ type, pos: this.start, val, line: this.startLine });
    this.start = this.pos;
    this.startLine = this.line;
  }

  /** Drops the text since `start`; `advance` has already counted its newlines. */
  private ignore(): void {
    this.start = this.pos;
    this.startLine = this.line;
  }

  private advance(to: number): void {
    const text = this.text;
    for (let i = this.pos; i < to; i++) if (text.charCodeAt(i) === 10) this.line++;
    this.pos = to;
  }

  private fail(message: string): void {
    this.items.push({ type: "error", pos: this.start, val: message, line: this.startLine });
    this.done = true;
  }

  private lexText(): void {
    const x = this.text.indexOf(this.left, this.pos);
    if (x < 0) {
      this.advance(this.text.length);
      if (this.pos > this.start) this.emit("text");
      this.emit("eof");
      this.done = true;
      return;
    }
    const afterLeft = x + this.left.length;
    const trim = hasLeftTrimMarker(this.text, afterLeft);
    let end = x;
    if (trim) end = trimRightIndex(this.text, this.start, x);
    this.advance(x);
    if (end > this.start) {
      this.items.push({
        type: "text",
        pos: this.start,
        val: this.text.slice(this.start, end),
        line: this.startLine,
      });
    }
    this.start = this.pos;
    this.startLine = this.line;
    this.lexLeftDelim(trim);
  }

  private lexLeftDelim(trim: boolean): void {
    this.advance(this.pos + this.left.length);
    const afterMarker = trim ? 2 : 0;
    if (this.text.startsWith("/*", this.pos + afterMarker)) {
      this.advance(this.pos + afterMarker);
      this.ignore();
      this.lexComment();
      return;
    }
    this.emit("leftDelim");
    this.advance(this.pos + afterMarker);
    this.ignore();
    this.parenDepth = 0;
    this.lexInsideAction();
  }

  private lexComment(): void {
    this.advance(this.pos + 2);
    const x = this.text.indexOf("*/", this.pos);
    if (x < 0) return this.fail("unclosed comment");
    this.advance(x + 2);
    const [delim, trimSpace] = this.atRightDelim();
    if (!delim) return this.fail("comment ends before closing delimiter");
    this.ignore(); // Go emits comments only in ParseComments mode, which templates never use.
    if (trimSpace) this.advance(this.pos + 2);
    this.advance(this.pos + this.right.length);
    if (trimSpace) this.advance(trimLeftIndex(this.text, this.pos));
    this.ignore();
  }

  private atRightDelim(): [boolean, boolean] {
    if (
      hasRightTrimMarker(this.text, this.pos) && this.text.startsWith(this.right, this.pos + 2)
    ) return [true, true];
    if (this.text.startsWith(this.right, this.pos)) return [true, false];
    return [false, false];
  }

  private lexRightDelim(trimSpace: boolean): void {
    if (trimSpace) {
      this.advance(this.pos + 2);
      this.ignore();
    }
    this.advance(this.pos + this.right.length);
    this.emit("rightDelim");
    if (trimSpace) {
      this.advance(trimLeftIndex(this.text, this.pos));
      this.ignore();
    }
  }

  private lexInsideAction(): void {
    for (;;) {
      const [delim, trimSpace] = this.atRightDelim();
      if (delim) {
        if (this.parenDepth === 0) return this.lexRightDelim(trimSpace);
        return this.fail("unclosed left paren");
      }
      if (this.pos >= this.text.length) return this.fail("unclosed action");
      const r = this.text[this.pos];
      if (isSpace(r)) {
        if (!this.lexSpace()) return this.lexRightDelim(true);
        continue;
      }
      this.advance(this.pos + 1);
      switch (r) {
        case "=":
          this.emit("assign");
          continue;
        case ":":
          if (this.text[this.pos] !== "=") return this.fail("expected :=");
          this.advance(this.pos + 1);
          this.emit("declare");
          continue;
        case "|":
          this.emit("pipe");
          continue;
        case '"':
          if (!this.lexQuote()) return;
          continue;
        case "`":
          if (!this.lexRawQuote()) return;
          continue;
        case "$":
          if (!this.lexFieldOrVariable("variable")) return;
          continue;
        case "'":
          if (!this.lexChar()) return;
          continue;
        case "(":
          this.emit("leftParen");
          this.parenDepth++;
          continue;
        case ")":
          this.emit("rightParen");
          this.parenDepth--;
          if (this.parenDepth < 0) return this.fail(`unexpected right paren U+0029 ')'`);
          continue;
      }
      if (r === ".") {
        const next = this.text[this.pos];
        if (next === undefined || next < "0" || next > "9") {
          if (!this.lexFieldOrVariable("field")) return;
          continue;
        }
      }
      if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
        this.pos--;
        if (!this.lexNumber()) return;
        continue;
      }
      if (isAlphaNumeric(r)) {
        this.pos--;
        if (!this.lexIdentifier()) return;
        continue;
      }
      const code = r.codePointAt(0)!;
      if (code < 0x7f && code >= 0x20) {
        this.emit("char");
        continue;
      }
      return this.fail(`unrecognized character in action: ${unicodeName(r)}`);
    }
  }

  /** Returns false when the spaces end the action with a trim marker (` -}}`). */
  private lexSpace(): boolean {
    let n = 0;
    while (isSpace(this.text[this.pos])) {
      this.advance(this.pos + 1);
      n++;
    }
    if (
      hasRightTrimMarker(this.text, this.pos - 1) &&
      this.text.startsWith(this.right, this.pos - 1 + 2)
    ) {
      this.pos--;
      if (this.text[this.pos] === "\n") this.line--;
      if (n === 1) return false;
    }
    this.emit("space");
    return true;
  }

  private lexIdentifier(): boolean {
    while (isAlphaNumeric(this.text[this.pos])) this.advance(this.pos + 1);
    if (!this.atTerminator()) return this.badChar();
    const word = this.text.slice(this.start, this.pos);
    const kw = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
    if (kw && word !== ".") this.emit(kw);
    else if (word === "true" || word === "false") this.emit("bool");
    else this.emit("identifier");
    return true;
  }

  private lexFieldOrVariable(type: "field" | "variable"): boolean {
    if (this.atTerminator()) {
      this.emit(type === "variable" ? "variable" : "dot");
      return true;
    }
    while (isAlphaNumeric(this.text[this.pos])) this.advance(this.pos + 1);
    if (!this.atTerminator()) return this.badChar();
    this.emit(type);
    return true;
  }

  private badChar(): boolean {
    const ch = String.fromCodePoint(this.text.codePointAt(this.pos)!);
    this.fail(`bad character ${unicodeName(ch)}`);
    return false;
  }

  private atTerminator(): boolean {
    const r = this.text[this.pos];
    if (r === undefined || isSpace(r)) return true;
    if (".,|:()".includes(r)) return true;
    return this.text.startsWith(this.right[0], this.pos);
  }

  private lexChar(): boolean {
    for (;;) {
      const r = this.text[this.pos];
      if (r === "\\") {
        this.advance(this.pos + 1);
        if (this.text[this.pos] !== undefined && this.text[this.pos] !== "\n") {
          this.advance(this.pos + 1);
          continue;
        }
      }
      if (r === undefined || r === "\n" || this.text[this.pos] === undefined) {
        this.fail("unterminated character constant");
        return false;
      }
      this.advance(this.pos + 1);
      if (r === "'") break;
    }
    this.emit("charConstant");
    return true;
  }

  private lexQuote(): boolean {
    for (;;) {
      let r = this.text[this.pos];
      if (r === "\\") {
        this.advance(this.pos + 1);
        r = this.text[this.pos];
        if (r !== undefined && r !== "\n") {
          this.advance(this.pos + 1);
          continue;
        }
      }
      if (r === undefined || r === "\n") {
        this.fail("unterminated quoted string");
        return false;
      }
      this.advance(this.pos + 1);
      if (r === '"') break;
    }
    this.emit("string");
    return true;
  }

  private lexRawQuote(): boolean {
    const x = this.text.indexOf("`", this.pos);
    if (x < 0) {
      this.fail("unterminated raw quoted string");
      return false;
    }
    this.advance(x + 1);
    this.emit("rawString");
    return true;
  }

  private lexNumber(): boolean {
    if (!this.scanNumber()) {
      this.fail(`bad number syntax: ${goQuote(this.text.slice(this.start, this.pos))}`);
      return false;
    }
    this.emit("number");
    return true;
  }

  private accept(valid: string): boolean {
    const r = this.text[this.pos];
    if (r !== undefined && valid.includes(r)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  private scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    if (isAlphaNumeric(this.text[this.pos])) {
      this.pos++;
      return false;
    }
    return true;
  }
}

function hasLeftTrimMarker(text: string, at: number): boolean {
  return text[at] === "-" && isSpace(text[at + 1]);
}

function hasRightTrimMarker(text: string, at: number): boolean {
  return isSpace(text[at]) && text[at + 1] === "-";
}

function trimRightIndex(text: string, from: number, end: number): number {
  while (end > from && isSpace(text[end - 1])) end--;
  return end;
}

function trimLeftIndex(text: string, at: number): number {
  while (at < text.length && isSpace(text[at])) at++;
  return at;
}

/** Go's %#U: `U+0023 '#'`. */
export function unicodeName(ch: string): string {
  const c = ch.codePointAt(0)!;
  const hex = c.toString(16).toUpperCase().padStart(4, "0");
  return isPrintable(c) && c >= 0x20 ? `U+${hex} '${ch}'` : `U+${hex}`;
}
