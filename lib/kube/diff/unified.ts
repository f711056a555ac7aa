// A line-based unified diff (Myers' O(ND) algorithm), formatted as `diff -u` prints it.

export type Edit = { op: "=" | "-" | "+"; line: string };

/** The shortest edit script turning `a` into `b`. */
export function diffLines(a: string[], b: string[]): Edit[] {
  // Common prefix and suffix are cheap to peel off and are most of a typical object.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) endA--, endB--;
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return [
    ...a.slice(0, start).map((line) => ({ op: "=" as const, line })),
    ...middle,
    ...a.slice(endA).map((line) => ({ op: "=" as const, line })),
  ];
}

function myers(a: string[], b: string[]): Edit[] {
  const n = a.length, m = b.length, max = n + m;
  if (n === 0) return b.map((line) => ({ op: "+", line }));
  if (m === 0) return a.map((line) => ({ op: "-", line }));
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
        ? v[offset + k + 1]
        : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) x++, y++;
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk the trace backwards to recover the path.
  const edits: Edit[] = [];
  let x = n, y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) edits.push({ op: "=", line: a[--x] }), y--;
    if (x === prevX) edits.push({ op: "+", line: b[--y] });
    else edits.push({ op: "-", line: a[--x] });
  }
  while (x > 0 && y > 0) edits.push({ op: "=", line: a[--x] }), y--;
  return edits.reverse();
}

/** Formats edits as unified-diff hunks with `context` lines around each change. */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { from: string; to: string },
  context = 3,
): string {
  const a = splitLines(before), b = splitLines(after);
  const edits = diffLines(a, b);
  if (edits.every((e) => e.op === "=")) return "";
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  let i = 0;
  // Line numbers (1-based) in a and b at each edit index.
  const posA: number[] = [], posB: number[] = [];
  let la = 1, lb = 1;
  for (const e of edits) {
    posA.push(la), posB.push(lb);
    if (e.op !== "+") la++;
    if (e.op !== "-") lb++;
  }
  while (i < edits.length) {
    if (edits[i].op === "=") {
      i++;
      continue;
    }
    const hunkStart = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2·context unchanged lines.
    while (true) {
      while (end < edits.length && edits[end].op !== "=") end++;
      let next = end;
      while (next < edits.length && edits[next].op === "=") next++;
      if (next < edits.length && next - end <= 2 * context) end = next;
      else break;
    }
    const hunkEnd = Math.min(edits.length, end + context);
    const hunk = edits.slice(hunkStart, hunkEnd);
    const countA = hunk.filter((e) => e.op !== "+").length;
    const countB = hunk.filter((e) => e.op !== "-").length;
    const startA = countA === 0 ? posA[hunkStart] - 1 : posA[hunkStart];
    const startB = countB === 0 ? posB[hunkStart] - 1 : posB[hunkStart];
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const e of hunk) out.push(`${e.op === "=" ? " " : e.op}${e.line}`);
    i = hunkEnd;
  }
  return out.join("\n") + "\n";
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
