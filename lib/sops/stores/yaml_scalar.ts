// Plain YAML scalars resolved the way gopkg.in/yaml.v3 resolves them when SOPS decodes a node
// into interface{}: the 1.2 core keywords, Go's base-prefixed and 0-led octal integers,
// underscores dropped from numbers, timestamps kept as text. The MAC hashes unencrypted values
// in this typed form, so "0777" must be 511 and "yes" must stay a string.

const KEYWORDS: Record<string, null | boolean | number> = {
  "": null,
  "~": null,
  null: null,
  Null: null,
  NULL: null,
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false,
  ".nan": NaN,
  ".NaN": NaN,
  ".NAN": NaN,
  ".inf": Infinity,
  ".Inf": Infinity,
  ".INF": Infinity,
  "+.inf": Infinity,
  "+.Inf": Infinity,
  "+.INF": Infinity,
  "-.inf": -Infinity,
  "-.Inf": -Infinity,
  "-.INF": -Infinity,
};

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

export type ResolvedScalar = string | number | boolean | null;

export function resolvePlainScalar(text: string): ResolvedScalar {
  if (Object.hasOwn(KEYWORDS, text)) return KEYWORDS[text];
  const first = text[0];
  if (first === ".") {
    const f = goFloat(text);
    return f ?? text;
  }
  if (!/[0-9+-]/.test(first)) return text;
  const plain = text.replaceAll("_", "");
  const int = goParseIntBase0(plain);
  if (int !== undefined) return int;
  if (YAML_FLOAT.test(plain)) {
    const f = goFloat(plain);
    if (f !== undefined) return f;
  }
  const bin = /^(-?)0b([01]+)$/.exec(plain);
  if (bin) return signed(bin[1], BigInt("0b" + bin[2]));
  const oct = /^0o([0-7]+)$/.exec(plain);
  if (oct) return Number(BigInt("0o" + oct[1]));
  return text;
}

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint for large positives. */
function goParseIntBase0(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let n: bigint;
  if (/^0[xXbBoO]/.test(body)) n = BigInt("0" + body[1].toLowerCase() + body.slice(2));
  else if (body.length > 1 && body[0] === "0") n = BigInt("0o" + body.slice(1));
  else n = BigInt(body);
  if (m[1] === "-" ? n > 9223372036854775808n : n > 18446744073709551615n) return undefined;
  return signed(m[1], n);
}

function signed(sign: string, n: bigint): number {
  const v = Number(sign === "-" ? -n : n);
  return v === 0 ? 0 : v;
}

function goFloat(s: string): number | undefined {
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}
