// Go regular expressions (RE2 syntax, as Flux's tag filters and patterns use them) translated
// to JavaScript RegExp. What JavaScript would read differently is rewritten ((?P<name>),
// (?i) flags, \A, \z, \Q..\E, [[:alpha:]], Go's ASCII-only \s); what RE2 cannot express
// (lookarounds, backreferences) or JavaScript cannot match the same way ((?U), \C) is refused.

export class GoRegexpError extends Error {
  override readonly name = "GoRegexpError";
  constructor(readonly pattern: string, readonly reason: string, readonly offset: number) {
    super(`invalid regular expression ${JSON.stringify(pattern)}: ${reason} at offset ${offset}`);
  }
}

export interface TranslatedRegexp {
  /** JavaScript source for `new RegExp(source, flags)`. */
  source: string;
  flags: string;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

// Characters that may follow a backslash in a JavaScript regexp with the `u` flag.
const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));
const GO_SPACE = "\\t\\n\\f\\r ";
// Unicode general categories are written the same in both; other names are scripts (Greek).
const GENERAL_CATEGORY = /^(?:[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;

/** Translates a Go regexp to JavaScript; throws GoRegexpError for what cannot be matched alike. */
export function translateGoRegexp(pattern: string): TranslatedRegexp {
  return new Translator(pattern).run();
}

/** Compiles a Go regexp as a JavaScript RegExp with the same meaning. */
export function compileGoRegexp(pattern: string, extraFlags = ""): RegExp {
  const { source, flags } = translateGoRegexp(pattern);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : "";
    throw new GoRegexpError(pattern, reason || "not a valid expression", 0);
  }
}

class Translator {
  #i = 0;
  #out = "";
  #globalFlags = "";
  /** For each open group, whether a "(?i)" inside it opened a modifier group to close with it. */
  #openModifiers: number[] = [0];
  #multiline = false;

  constructor(readonly pattern: string) {}

  run(): TranslatedRegexp {
    const p = this.pattern;
    while (this.#i < p.length) {
      const c = p[this.#i];
      if (c === "\\") this.#escape(false);
      else if (c === "[") this.#charClass();
      else if (c === "(") this.#groupOpen();
      else if (c === ")") {
        this.#closeModifiers();
        this.#openModifiers.pop();
        if (this.#openModifiers.length === 0) this.#fail("unexpected )");
        this.#out += ")";
        this.#i++;
      } else if (c === "{") this.#brace();
      else {
        // "/", "}" and "]" are literals in Go; JavaScript's `u` mode wants them escaped.
        this.#out += c === "/" || c === "}" || c === "]" ? "\\" + c : c;
        this.#i++;
      }
    }
    this.#closeModifiers();
    if (this.#openModifiers.length !== 1) this.#fail("missing )");
    return { source: this.#out, flags: "u" + this.#globalFlags };
  }

  #fail(reason: string): never {
    throw new GoRegexpError(this.pattern, reason, this.#i);
  }

  #closeModifiers(): void {
    const n = this.#openModifiers[this.#openModifiers.length - 1];
    this.#out += ")".repeat(n);
    this.#openModifiers[this.#openModifiers.length - 1] = 0;
  }

  #groupOpen(): void {
    const p = this.pattern;
    const rest = p.slice(this.#i);
    if (rest.startsWith("(?P<") || rest.startsWith("(?<")) {
      const m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (!m) this.#fail("invalid named capture");
      this.#out += `(?<${m[1]}>`;
      this.#i += m[0].length;
      this.#openModifiers.push(0);
      return;
    }
    if (/^\(\?(=|!|<=|<!)/.test(rest)) {
      this.#fail("lookahead and lookbehind assertions are not supported by Go (RE2)");
    }
    const flagGroup = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?(:|\))/.exec(rest);
    if (rest.startsWith("(?") && !flagGroup) this.#fail("invalid or unsupported group syntax");
    if (flagGroup) {
      const [whole, on, off = "", end] = flagGroup;
      for (const f of on + off) {
        if (f === "U") this.#fail("the ungreedy flag (?U) cannot be expressed in JavaScript");
        if (!"ims".includes(f)) this.#fail(`unknown flag "${f}"`);
      }
      if (on.includes("m")) this.#multiline = true;
      this.#i += whole.length;
      const atStart = this.#out === "" && this.#openModifiers.length === 1;
      if (end === ")") {
        if (atStart && off === "") {
          // A leading "(?i)" applies to the whole pattern: a RegExp flag says exactly that.
          this.#globalFlags += [...new Set(on)].filter((f) => !this.#globalFlags.includes(f))
            .join("");
          return;
        }
        this.#out += `(?${on}${off ? "-" + off : ""}:`;
        this.#openModifiers[this.#openModifiers.length - 1]++;
        return;
      }
      this.#out += on || off ? `(?${on}${off ? "-" + off : ""}:` : "(?:";
      this.#openModifiers.push(0);
      return;
    }
    this.#out += "(";
    this.#i++;
    this.#openModifiers.push(0);
  }

  #brace(): void {
    // Go reads "{" as a literal unless it starts a valid repetition.
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.#i));
    if (m) {
      const max = m[3] ? Number(m[3]) : Number(m[1]);
      if (Number(m[1]) > 1000 || max > 1000) this.#fail("repetition count over 1000");
      this.#out += m[0];
      this.#i += m[0].length;
      return;
    }
    this.#out += "\\{";
    this.#i++;
  }

  /** Translates the escape at the cursor (inside or outside a character class). */
  #escape(inClass: boolean): void {
    const p = this.pattern;
    const next = p[this.#i + 1];
    if (next === undefined) this.#fail("trailing backslash");
    this.#i += 2;
    if (/[1-9]/.test(next)) this.#fail("backreferences are not supported by Go (RE2)");
    switch (next) {
      case "A":
        if (inClass) this.#fail("\\A inside a character class");
        this.#out += this.#multiline ? "(?<![\\s\\S])" : "^";
        return;
      case "z":
        if (inClass) this.#fail("\\z inside a character class");
        this.#out += this.#multiline ? "(?![\\s\\S])" : "$";
        return;
      case "C":
        this.#fail("\\C (any byte) cannot be expressed in JavaScript");
        break;
      case "Q": {
        const end = p.indexOf("\\E", this.#i);
        const literal = end === -1 ? p.slice(this.#i) : p.slice(this.#i, end);
        this.#i = end === -1 ? p.length : end + 2;
        for (const ch of literal) this.#out += escapeLiteral(ch);
        return;
      }
      case "s":
        this.#out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
        return;
      case "S":
        if (inClass) this.#fail("\\S inside a character class is not supported");
        this.#out += `[^${GO_SPACE}]`;
        return;
      case "x": {
        const m = /^\{([0-9A-Fa-f]{1,6})\}|^([0-9A-Fa-f]{2})/.exec(p.slice(this.#i));
        if (!m) this.#fail("invalid \\x escape");
        this.#i += m[0].length;
        this.#out += `\\u{${m[1] ?? m[2]}}`;
        return;
      }
      case "p":
      case "P": {
        const m = /^\{\^?([A-Za-z_]+)\}|^([A-Za-z])/.exec(p.slice(this.#i));
        if (!m) this.#fail(`invalid \\${next} escape`);
        this.#i += m[0].length;
        const negated = m[0].startsWith("{^") !== (next === "P");
        const name = m[1] ?? m[2];
        const property = GENERAL_CATEGORY.test(name) || name === "Any" ? name : `Script=${name}`;
        this.#out += `\\${negated ? "P" : "p"}{${property}}`;
        return;
      }
      case "0":
        this.#out += "\\0";
        return;
      case "d":
      case "D":
      case "w":
      case "W":
      case "b":
      case "B":
      case "t":
      case "n":
      case "r":
      case "f":
      case "v":
        if (inClass && (next === "b" || next === "B")) {
          this.#fail(`\\${next} inside a character class`);
        }
        this.#out += "\\" + next;
        return;
      case "a":
        this.#out += "\\x07";
        return;
    }
    if (/[A-Za-z0-9]/.test(next)) this.#fail(`unknown escape \\${next}`);
    // Go lets any punctuation be escaped; JavaScript's `u` mode only its syntax characters.
    this.#out += JS_SYNTAX.has(next) || (inClass && next === "-") ? "\\" + next : next;
  }

  #charClass(): void {
    const p = this.pattern;
    this.#out += "[";
    this.#i++;
    if (p[this.#i] === "^") {
      this.#out += "^";
      this.#i++;
    }
    let first = true;
    while (true) {
      if (this.#i >= p.length) this.#fail("missing closing ]");
      const c = p[this.#i];
      if (c === "]" && !first) break;
      first = false;
      if (c === "[" && p[this.#i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.#i));
        if (!m || !POSIX_CLASSES[m[2]]) this.#fail("invalid character class name");
        if (m[1]) this.#fail("negated POSIX classes inside brackets are not supported");
        this.#out += POSIX_CLASSES[m[2]];
        this.#i += m[0].length;
      } else if (c === "\\") {
        this.#escape(true);
      } else {
        this.#out += c === "[" || c === "]" || c === "/" ? "\\" + c : c;
        this.#i++;
      }
    }
    this.#out += "]";
    this.#i++;
  }
}

function escapeLiteral(ch: string): string {
  return JS_SYNTAX.has(ch) || ch === "-" ? (ch === "-" ? "-" : "\\" + ch) : ch;
}
