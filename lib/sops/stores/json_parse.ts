// A JSON reader that keeps object key order (JSON.parse moves integer-like keys first, and the
// SOPS MAC covers order) and reports positions for people.
import { Branch, type TreeValue } from "../tree.ts";

export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
  constructor(readonly detail: string, readonly line: number, readonly col: number) {
    super(`${detail} at line ${line}, column ${col}`);
  }
}

const MAX_DEPTH = 1000;
// JSON forbids raw control characters inside strings; the class below excludes them.
// deno-lint-ignore no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function parseOrderedJson(text: string): TreeValue {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail("unexpected text after the JSON value");
  return v;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(detail: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split("\n").length;
    const col = this.i - before.lastIndexOf("\n");
    throw new JsonSyntaxError(detail, line, col);
  }

  ws(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i])) this.i++;
  }

  value(depth: number): TreeValue {
    if (depth > MAX_DEPTH) this.fail("nesting is too deep");
    const c = this.s[this.i];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(
      c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`,
    );
  }

  object(depth: number): Branch {
    const b = new Branch();
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return b;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail('expected ":"');
      this.i++;
      this.ws();
      b.items.push({ key, value: this.value(depth + 1) });
      this.ws();
      const c = this.s[this.i++];
      if (c === "}") return b;
      if (c !== ",") {
        this.i--;
        this.fail('expected "," or "}"');
      }
    }
  }

  array(depth: number): TreeValue[] {
    const out: TreeValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === "]") return out;
      if (c !== ",") {
        this.i--;
        this.fail('expected "," or "]"');
      }
    }
  }

  string(): string {
    STRING.lastIndex = this.i;
    const m = STRING.exec(this.s);
    if (!m) this.fail("invalid string");
    this.i += m[0].length;
    return JSON.parse(m[0]);
  }

  number(): number {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail("invalid number");
    this.i += m[0].length;
    return Number(m[0]);
  }
}
