// Bash-style variable expansion as Flux's post-build substitution does it (fluxcd/pkg envsubst):
// only ${...} forms are expanded ($var stays literal), "$${" escapes to a literal "${", and the
// operators are ${#v} ${v^} ${v^^} ${v,} ${v,,} ${v:off[:len]} ${v/p/r} ${v//p/r} ${v/#p/r}
// ${v/%p/r} ${v#p} ${v##p} ${v%p} ${v%%p} and the defaults ${v-d} ${v:-d} ${v=d} ${v:=d}
// ${v+a} ${v:+a}, whose words may hold further ${...}. Patterns are globs (* ? [..]) for the
// trim operators and literal text for replacements.

export class EnvsubstError extends Error {
  override readonly name = "EnvsubstError";
}

export interface EnvsubstOptions {
  /** Unset variables are errors unless a default operator supplies a value. */
  strict?: boolean;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

export function envsubst(
  input: string,
  vars: Record<string, string>,
  options: EnvsubstOptions = {},
): string {
  return new Expander(vars, options.strict ?? false).text(input);
}

class Expander {
  constructor(private vars: Record<string, string>, private strict: boolean) {}

  private isSet(name: string): boolean {
    return Object.hasOwn(this.vars, name);
  }

  private value(name: string): string {
    if (!this.isSet(name)) {
      if (this.strict) throw new EnvsubstError(`variable not set (strict mode): "${name}"`);
      return "";
    }
    return this.vars[name];
  }

  /** Expands a whole text. */
  text(s: string): string {
    let out = "";
    let i = 0;
    while (i < s.length) {
      const dollar = s.indexOf("$", i);
      if (dollar < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, dollar);
      if (s.startsWith("$${", dollar)) {
        out += "${";
        i = dollar + 3;
        continue;
      }
      if (s[dollar + 1] === "{") {
        const end = matchingBrace(s, dollar + 2);
        if (end < 0) throw new EnvsubstError(`unterminated "\${" at offset ${dollar}`);
        out += this.expression(s.slice(dollar + 2, end));
        i = end + 1;
        continue;
      }
      out += "$";
      i = dollar + 1;
    }
    return out;
  }

  private expression(e: string): string {
    if (e.startsWith("#")) {
      const m = e.slice(1).match(NAME);
      if (m && m[0].length === e.length - 1) return String([...this.value(m[0])].length);
    }
    const m = e.match(NAME);
    if (!m) throw new EnvsubstError(`bad substitution "\${${e}}"`);
    const name = m[0];
    const rest = e.slice(name.length);
    if (rest === "") return this.value(name);
    for (const op of [":-", ":=", ":+", ":?", "-", "=", "+", "?"]) {
      if (!rest.startsWith(op)) continue;
      const word = rest.slice(op.length);
      const set = this.isSet(name);
      const empty = !set || this.vars[name] === "";
      const colon = op.startsWith(":");
      const missing = colon ? empty : !set;
      switch (op.replace(":", "")) {
        case "-":
          return missing ? this.text(word) : this.vars[name];
        case "=":
          if (missing) {
            const v = this.text(word);
            this.vars = { ...this.vars, [name]: v };
            return v;
          }
          return this.vars[name];
        case "+":
          this.value(name);
          return missing ? "" : this.text(word);
        case "?":
          if (missing) {
            throw new EnvsubstError(`${name}: ${this.text(word) || "parameter null or not set"}`);
          }
          return this.vars[name];
      }
    }
    const v = this.value(name);
    const chars = [...v];
    if (rest === "^") return chars.length ? chars[0].toUpperCase() + chars.slice(1).join("") : "";
    if (rest === "^^") return v.toUpperCase();
    if (rest === ",") return chars.length ? chars[0].toLowerCase() + chars.slice(1).join("") : "";
    if (rest === ",,") return v.toLowerCase();
    const sub = rest.match(/^:\s*(-?\d+)(?::\s*(-?\d+))?$/);
    if (sub) {
      let off = Number(sub[1]);
      if (off < 0) off = Math.max(chars.length + off, 0);
      const piece = chars.slice(off);
      if (sub[2] === undefined) return piece.join("");
      const len = Number(sub[2]);
      return (len < 0 ? piece.slice(0, Math.max(piece.length + len, 0)) : piece.slice(0, len)).join(
        "",
      );
    }
    if (rest.startsWith("/")) {
      let mode: "first" | "all" | "prefix" | "suffix" = "first";
      let body = rest.slice(1);
      if (body.startsWith("/")) [mode, body] = ["all", body.slice(1)];
      else if (body.startsWith("#")) [mode, body] = ["prefix", body.slice(1)];
      else if (body.startsWith("%")) [mode, body] = ["suffix", body.slice(1)];
      const [patternRaw, replacementRaw = ""] = splitUnescaped(body, "/");
      const pattern = this.text(patternRaw.replace(/\\\//g, "/"));
      const replacement = this.text(replacementRaw);
      if (pattern === "") return v;
      switch (mode) {
        case "first":
          return v.replace(pattern, () => replacement);
        case "all":
          return v.split(pattern).join(replacement);
        case "prefix":
          return v.startsWith(pattern) ? replacement + v.slice(pattern.length) : v;
        case "suffix":
          return v.endsWith(pattern) ? v.slice(0, v.length - pattern.length) + replacement : v;
      }
    }
    for (const op of ["##", "#", "%%", "%"]) {
      if (!rest.startsWith(op)) continue;
      const glob = globToRegExp(this.text(rest.slice(op.length)));
      return trim(v, glob, op);
    }
    throw new EnvsubstError(`bad substitution "\${${e}}"`);
  }
}

function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === "\\") {
      i++;
      continue;
    }
    if (s[i] === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (s[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function splitUnescaped(s: string, sep: string): [string, string?] {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") {
      i++;
      continue;
    }
    if (s[i] === sep) return [s.slice(0, i), s.slice(i + 1)];
  }
  return [s];
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += "[" + glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      re += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function trim(v: string, glob: RegExp, op: string): string {
  const n = v.length;
  if (op === "#") {
    for (let i = 0; i <= n; i++) if (glob.test(v.slice(0, i))) return v.slice(i);
  } else if (op === "##") {
    for (let i = n; i >= 0; i--) if (glob.test(v.slice(0, i))) return v.slice(i);
  } else if (op === "%") {
    for (let i = n; i >= 0; i--) if (glob.test(v.slice(i))) return v.slice(0, i);
  } else {
    for (let i = 0; i <= n; i++) if (glob.test(v.slice(i))) return v.slice(0, i);
  }
  return v;
}
