import { goLower, runeLower, runeUpper } from "./unicode_case.ts";

// xstrings' case conversions as Sprig exposes them: snakecase, kebabcase, camelcase.

function isConnector(ch: string): boolean {
  return ch === "-" || ch === "_" || /^\s$/u.test(ch);
}

const isUpper = (ch: string) => /^\p{Lu}$/u.test(ch);
const isAlphabet = (ch: string) => /^\p{L}$/u.test(ch);
const isNumber = (ch: string) => /^\p{N}$/u.test(ch);
const isPunct = (ch: string) => /^\p{P}$/u.test(ch);

type WordType = "invalid" | "number" | "upper" | "alphabet" | "connector" | "punct" | "other";

interface Word {
  type: WordType;
  word: string[];
  rest: string[];
}

function nextWord(chars: string[]): Word {
  if (chars.length === 0) return { type: "invalid", word: [], rest: [] };
  const r = chars[0];
  let i = 1;
  let type: WordType;
  if (isConnector(r)) {
    type = "connector";
    while (i < chars.length && isConnector(chars[i])) i++;
  } else if (isPunct(r)) {
    type = "punct";
    while (i < chars.length && isPunct(chars[i])) i++;
  } else if (isUpper(r)) {
    type = "upper";
    if (i < chars.length) {
      if (isUpper(chars[i])) {
        while (i < chars.length && isUpper(chars[i])) i++;
        // "HTTPServer": the last capital starts the next word.
        if (i < chars.length && isAlphabet(chars[i])) i--;
      } else if (isAlphabet(chars[i])) {
        while (i < chars.length && isAlphabet(chars[i]) && !isUpper(chars[i])) i++;
      }
    }
  } else if (isAlphabet(r)) {
    type = "alphabet";
    while (i < chars.length && isAlphabet(chars[i]) && !isUpper(chars[i])) i++;
  } else if (isNumber(r)) {
    type = "number";
    while (i < chars.length && isNumber(chars[i])) i++;
  } else {
    type = "other";
    while (
      i < chars.length && !isConnector(chars[i]) && !isPunct(chars[i]) && !isAlphabet(chars[i]) &&
      !isNumber(chars[i])
    ) i++;
  }
  return { type, word: chars.slice(0, i), rest: chars.slice(i) };
}

/** ToSnakeCase / ToKebabCase. */
export function toLowerWords(s: string, connector: string): string {
  if (s === "") return "";
  let out = "";
  const lower = (w: Word) => {
    if (w.type === "connector") out += connector.repeat(w.word.length);
    else out += goLower(w.word.join(""));
  };
  let w = nextWord([...s]);
  while (w.rest.length > 0) {
    if (w.type !== "connector") lower(w);
    const prev = w;
    w = nextWord(w.rest);
    switch (prev.type) {
      case "number":
        while (w.type === "alphabet" || w.type === "number") {
          lower(w);
          w = nextWord(w.rest);
        }
        if (w.type !== "invalid" && w.type !== "punct" && w.type !== "connector") out += connector;
        break;
      case "connector":
        lower(prev);
        break;
      case "punct":
        break;
      default: {
        if (w.type !== "number") {
          if (w.type !== "connector" && w.type !== "punct") out += connector;
          break;
        }
        if (w.rest.length === 0) break;
        const last = w;
        w = nextWord(w.rest);
        if (w.type !== "alphabet") {
          lower(last);
          if (w.type !== "connector" && w.type !== "punct") out += connector;
          break;
        }
        out += connector;
        lower(last);
        while (w.type === "alphabet" || w.type === "number") {
          lower(w);
          w = nextWord(w.rest);
        }
        if (w.type !== "invalid" && w.type !== "connector" && w.type !== "punct") out += connector;
      }
    }
  }
  lower(w);
  return out;
}

/** ToCamelCase: "some_words" → "SomeWords"; leading connectors are kept. */
export function toCamelCase(s: string): string {
  if (s === "") return "";
  const chars = [...s];
  let out = "";
  let i = 0;
  let r0 = "";
  while (i < chars.length) {
    r0 = chars[i++];
    if (!isConnector(r0)) {
      r0 = runeUpper(r0);
      break;
    }
    out += r0;
    r0 = "";
  }
  if (i >= chars.length) return out + r0;
  while (i < chars.length) {
    const r1 = r0;
    r0 = chars[i++];
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = runeUpper(r0);
    else {
      r0 = runeLower(r0);
      out += r1;
    }
  }
  return out + r0;
}
