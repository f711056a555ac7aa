// Helm's --set grammar (pkg/strvals), rune for rune: `a.b=c,d[0].e=f`, `{x,y}` lists, `\`
// escapes any character, `name=` is an empty string. Plain `--set` types its values: true/false
// (any case) are bools, null is nil, decimal integers without a leading zero are int64;
// `--set-string` keeps text; `--set-json` decodes JSON; `--set-file` reads the named file.
import { goInt64 } from "../../gotemplate/mod.ts";
import { isTable, type Table } from "./copy.ts";

export const MAX_INDEX = 65536;
export const MAX_NESTED_NAME_LEVEL = 30;

/** A --set expression could not be parsed; `message` is Helm's. */
export class SetParseError extends Error {
  override readonly name = "SetParseError";
  constructor(readonly expression: string, readonly reason: string) {
    super(reason);
  }
}

class Eof {}
const EOF = new Eof();
class NotList {}
const NOT_LIST = new NotList();

/** Turns the text of one value into a value (typed, string, file contents...). */
export type ValueReader = (text: string) => unknown;

class Scanner {
  private at = 0;
  constructor(private readonly runes: string[]) {}
  read(): string | Eof {
    return this.at < this.runes.length ? this.runes[this.at++] : EOF;
  }
  unread(): void {
    this.at--;
  }
  rest(): string {
    return this.runes.slice(this.at).join("");
  }
  skip(n: number): void {
    this.at += n;
  }
}

/** Reads until a stop rune; `\` takes the next rune literally. Returns [text, stop, eof]. */
function runesUntil(sc: Scanner, stop: string): [string, string, boolean] {
  let v = "";
  for (;;) {
    const r = sc.read();
    if (r === EOF) return [v, "", true];
    const c = r as string;
    if (stop.includes(c)) return [v, c, false];
    if (c === "\\") {
      const next = sc.read();
      if (next === EOF) return [v, "", true];
      v += next as string;
    } else v += c;
  }
}

function setKey(data: Table, key: string, val: unknown): void {
  if (key.length === 0) return;
  data[key] = val;
}

function setIndex(list: unknown[], index: number, val: unknown): unknown[] {
  if (index < 0) throw new Error(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) {
    throw new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  }
  while (list.length <= index) list.push(null);
  list[index] = val;
  return list;
}

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) {
    throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  }
  return n;
}

/**
 * Decodes the first JSON value at the start of `text` (as Go's json.Decoder does for
 * `--set-json a={"x":1},b=2`); returns it and the number of characters it used.
 */
function decodeJsonPrefix(text: string): [unknown, number] {
  let i = 0;
  while (i < text.length && /\s/.test(text[i])) i++;
  const start = i;
  if (text[i] === "{" || text[i] === "[") {
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      } else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
  } else if (text[i] === '"') {
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    i++;
  } else {
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
  }
  const slice = text.slice(start, i);
  try {
    return [JSON.parse(slice), i];
  } catch (e) {
    throw new Error(slice === "" ? "unexpected EOF" : (e as Error).message);
  }
}

class Parser {
  constructor(
    private readonly sc: Scanner,
    private readonly data: Table,
    private readonly reader: ValueReader,
    private readonly json: boolean,
  ) {}

  parse(): void {
    for (;;) {
      const r = this.key(this.data, 0);
      if (r === EOF) return;
    }
  }

  private typeMismatch(what: string): never {
    throw new Error(`unable to parse key: interface conversion: interface {} is not ${what}`);
  }

  /** Returns EOF at the end of input, undefined when more expressions may follow. */
  private key(data: Table, nested: number): Eof | undefined {
    for (;;) {
      const [k, last, eof] = runesUntil(this.sc, "=[,.");
      if (eof) {
        if (k.length === 0) return EOF;
        throw new Error(`key "${k}" has no value`);
      }
      if (last === "[") {
        const i = this.keyIndex();
        let list: unknown[] = [];
        if (k in data) {
          if (!Array.isArray(data[k])) this.typeMismatch("[]interface {}");
          list = data[k] as unknown[];
        }
        const [l, end] = this.listItem(list, i, nested);
        setKey(data, k, l);
        return end;
      }
      if (last === "=") {
        if (this.json) {
          if (this.emptyVal()) {
            setKey(data, k, null);
            return undefined;
          }
          const [v, used] = decodeJsonPrefix(this.sc.rest());
          setKey(data, k, v);
          this.sc.skip(used);
          this.emptyVal();
          return undefined;
        }
        const vl = this.valList();
        if (vl === EOF) {
          setKey(data, k, "");
          return EOF;
        }
        if (vl === NOT_LIST) {
          const [rs] = this.val();
          setKey(data, k, this.reader(rs));
          return undefined;
        }
        setKey(data, k, vl);
        return undefined;
      }
      if (last === ",") {
        setKey(data, k, "");
        throw new Error(`key "${k}" has no value (cannot end with ,)`);
      }
      // last === "."
      nested++;
      if (nested > MAX_NESTED_NAME_LEVEL) {
        throw new Error(
          `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`,
        );
      }
      let inner: Table = {};
      if (k in data) {
        if (!isTable(data[k])) this.typeMismatch("map[string]interface {}");
        inner = data[k] as Table;
      }
      const end = this.key(inner, nested);
      if (end === undefined && Object.keys(inner).length === 0) {
        throw new Error(`key map "${k}" has no value`);
      }
      if (Object.keys(inner).length !== 0) setKey(data, k, inner);
      return end;
    }
  }

  private keyIndex(): number {
    const [v, , eof] = runesUntil(this.sc, "]");
    if (eof) throw new Error("error parsing index: EOF");
    try {
      return atoi(v);
    } catch (e) {
      throw new Error(`error parsing index: ${(e as Error).message}`);
    }
  }

  private listItem(list: unknown[], i: number, nested: number): [unknown[], Eof | undefined] {
    if (i < 0) throw new Error(`negative ${i} index not allowed`);
    const [k, last, eof] = runesUntil(this.sc, "[.=");
    if (k.length > 0) throw new Error(`unexpected data at end of array index: "${k}"`);
    if (eof) return [list, EOF];
    if (last === "=") {
      if (this.json) {
        if (this.emptyVal()) return [setIndex(list, i, null), undefined];
        const [v, used] = decodeJsonPrefix(this.sc.rest());
        setIndex(list, i, v);
        this.sc.skip(used);
        this.emptyVal();
        return [list, undefined];
      }
      const vl = this.valList();
      if (vl === EOF) return [setIndex(list, i, ""), EOF];
      if (vl === NOT_LIST) {
        const [rs] = this.val();
        return [setIndex(list, i, this.reader(rs)), undefined];
      }
      return [setIndex(list, i, vl), undefined];
    }
    if (last === "[") {
      const nextI = this.keyIndex();
      let current: unknown[] = [];
      if (list.length > i && list[i] !== null && list[i] !== undefined) {
        if (!Array.isArray(list[i])) this.typeMismatch("[]interface {}");
        current = list[i] as unknown[];
      }
      const [l2, end] = this.listItem(current, nextI, nested);
      return [setIndex(list, i, l2), end];
    }
    // last === "."
    let inner: Table = {};
    if (list.length > i) {
      if (isTable(list[i])) inner = list[i] as Table;
      else list[i] = inner;
    }
    const end = this.key(inner, nested);
    if (end === EOF) return [list, EOF];
    return [setIndex(list, i, inner), undefined];
  }

  /** Consumes blanks up to a comma or the end: true when the value is empty. */
  private emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === EOF) return true;
      if (r === ",") return true;
      if (!/\s/.test(r as string)) {
        this.sc.unread();
        return false;
      }
    }
  }

  private val(): [string, boolean] {
    const [v, , eof] = runesUntil(this.sc, ",");
    return [v, eof];
  }

  private valList(): unknown[] | Eof | NotList {
    const r = this.sc.read();
    if (r === EOF) return EOF;
    if (r !== "{") {
      this.sc.unread();
      return NOT_LIST;
    }
    const list: unknown[] = [];
    for (;;) {
      const [rs, last, eof] = runesUntil(this.sc, ",}");
      if (eof) throw new Error("list must terminate with '}'");
      if (last === "}") {
        const next = this.sc.read();
        if (next !== EOF && next !== ",") this.sc.unread();
        list.push(this.reader(rs));
        return list;
      }
      list.push(this.reader(rs));
    }
  }
}

/** Helm's typedVal: the type `--set` gives a value's text. */
export function typedValue(text: string, asString = false): unknown {
  if (asString) return text;
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (text === "0") return goInt64(0);
  if (text.length > 0 && text[0] !== "0" && /^[+-]?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(1n << 63n) && n < (1n << 63n)) return goInt64(n);
  }
  return text;
}

export type SetKind = "set" | "string" | "json" | "file";

/**
 * Parses one `--set`-style expression into `dest` (mutated and returned). `readFile` resolves
 * `--set-file` paths.
 */
export function parseSetInto(
  expression: string,
  dest: Table,
  kind: SetKind = "set",
  readFile?: (path: string) => string,
): Table {
  const reader: ValueReader = kind === "string" ? (t) => t : kind === "file"
    ? (t) => {
      if (!readFile) throw new Error("--set-file needs a file reader");
      return readFile(t);
    }
    : (t) => typedValue(t);
  try {
    new Parser(new Scanner([...expression]), dest, reader, kind === "json").parse();
  } catch (e) {
    if (e instanceof SetParseError) throw e;
    throw new SetParseError(expression, (e as Error).message);
  }
  return dest;
}

/** Parses one expression into a fresh map (Helm's strvals.Parse). */
export function parseSet(expression: string, kind: SetKind = "set"): Table {
  return parseSetInto(expression, {}, kind);
}
