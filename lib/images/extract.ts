// Go's Regexp.ExpandString, which Flux applies to `filterTags.extract`: `$1`, `$name`,
// `${name}` become the group's text (empty when the group did not take part or does not exist),
// `$$` is a literal `$`. A name is the longest run of letters, digits and `_`, so `$1x` names a
// group "1x", as in Go.

export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== "$" || i + 1 >= template.length) {
      out += ch;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    const ref = groupReference(template, i + 1);
    if (!ref) {
      out += ch; // Go keeps a malformed reference's `$` literally
      continue;
    }
    out += groupText(ref.name, match);
    i += ref.length;
  }
  return out;
}

function groupReference(template: string, at: number): { name: string; length: number } | null {
  if (template[at] === "{") {
    const end = template.indexOf("}", at + 1);
    const name = end < 0 ? "" : template.slice(at + 1, end);
    return /^[A-Za-z0-9_]+$/.test(name) ? { name, length: end - at + 1 } : null;
  }
  const m = /^[A-Za-z0-9_]+/.exec(template.slice(at));
  return m ? { name: m[0], length: m[0].length } : null;
}

function groupText(name: string, match: RegExpExecArray): string {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    return n < match.length ? match[n] ?? "" : "";
  }
  return match.groups?.[name] ?? "";
}
