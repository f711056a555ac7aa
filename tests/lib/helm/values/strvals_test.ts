// Helm's --set grammar, cases after Helm's own strvals tests.
import assert from "node:assert/strict";
import { goInt64 } from "../../../../lib/gotemplate/mod.ts";
import { mergeValues, parseSet, parseSetInto } from "../../../../lib/helm/values/mod.ts";

const i = (n: number) => goInt64(n);

const ok: Array<[string, unknown]> = [
  ["name=value", { name: "value" }],
  ["long_int_string=1234567890", { long_int_string: i(1234567890) }],
  ["boolean=true", { boolean: true }],
  ["boolean=FALSE", { boolean: false }],
  ["is_null=null", { is_null: null }],
  ["zero=0", { zero: i(0) }],
  ["leading_zeros=00009", { leading_zeros: "00009" }],
  ["negative=-5", { negative: i(-5) }],
  ["float=1.5", { float: "1.5" }],
  ["name1=value1,name2=value2", { name1: "value1", name2: "value2" }],
  ["name1=value1,name2=value2,", { name1: "value1", name2: "value2" }],
  ["name1=,name2=value2", { name1: "", name2: "value2" }],
  ["name1=value1,name2=value2\\,value3", { name1: "value1", name2: "value2,value3" }],
  ["name1=one\\,two,name2=three\\,four", { name1: "one,two", name2: "three,four" }],
  ["name1=value1=value2", { name1: "value1=value2" }],
  ["a\\.b=c", { "a.b": "c" }],
  ["outer.inner=value", { outer: { inner: "value" } }],
  ["outer.middle.inner=value", { outer: { middle: { inner: "value" } } }],
  ["outer.inner1=value,outer.inner2=value2", { outer: { inner1: "value", inner2: "value2" } }],
  ["name1={value1,value2}", { name1: ["value1", "value2"] }],
  ["name1={value1,value2},name2={value1,value2}", {
    name1: ["value1", "value2"],
    name2: ["value1", "value2"],
  }],
  ["list[0]=foo", { list: ["foo"] }],
  ["list[0].foo=bar", { list: [{ foo: "bar" }] }],
  ["list[0].foo=bar,list[0].hello=world", { list: [{ foo: "bar", hello: "world" }] }],
  ["list[0]=foo,list[3]=bar", { list: ["foo", null, null, "bar"] }],
  ["noval[0]", { noval: [] }],
  ["noval[0]=", { noval: [""] }],
  ["nested[0][0]=1", { nested: [[i(1)]] }],
  ["nested[1][1]=1", { nested: [null, [null, i(1)]] }],
  ["name1.name2[1].foo=bar", { name1: { name2: [null, { foo: "bar" }] } }],
  ["name1.name2[1].foo=bar,name1.name2[0].foo=bar", {
    name1: { name2: [{ foo: "bar" }, { foo: "bar" }] },
  }],
];

for (const [expr, want] of ok) {
  Deno.test(`--set ${expr}`, () => assert.deepEqual(parseSet(expr), want));
}

const bad: Array<[string, RegExp]> = [
  ["name1,name2=value2", /key "name1" has no value \(cannot end with ,\)/],
  ["name1,name2=", /has no value/],
  ["name1=value1,,,,name2=value2,", /has no value/],
  ["name1.name2", /key "name1.name2" has no value|has no value/],
  ["name1.=name2", /key map "name1" has no value/],
  ["list[-30].hello=world", /negative -30 index not allowed/],
  ["illegal[0]name.foo=bar", /unexpected data at end of array index/],
  ["list[a]=x", /error parsing index: strconv.Atoi: parsing "a": invalid syntax/],
  ["list[70000]=x", /greater than maximum supported index of 65536/],
  ["name1={value1,value2", /list must terminate with '}'/],
];

for (const [expr, pattern] of bad) {
  Deno.test(`--set ${expr} is refused`, () => assert.throws(() => parseSet(expr), pattern));
}

Deno.test("--set-string keeps text; --set-json decodes JSON values", () => {
  assert.deepEqual(parseSet("a=1,b=true,c=null", "string"), { a: "1", b: "true", c: "null" });
  assert.deepEqual(
    parseSet(
      'outer.inner1="1",outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner4=[],list[0]={"x":1}',
      "json",
    ),
    {
      outer: { inner1: "1", inner3: { aa: "1", bb: 2, cc: [1, 2, 3] }, inner4: [] },
      list: [{ x: 1 }],
    },
  );
  assert.deepEqual(parseSet("a=", "json"), { a: null });
});

Deno.test("--set merges into existing values and replaces non-maps", () => {
  const dest = { a: { b: "keep", c: "old" }, l: ["x", "y"] };
  parseSetInto("a.c=new,l[1]=z", dest);
  assert.deepEqual(dest, { a: { b: "keep", c: "new" }, l: ["x", "z"] });
});

Deno.test("values sources combine in Helm's order: files, --set-json, --set, --set-string, --set-file", () => {
  const v = mergeValues({
    files: [
      { path: "a.yaml", text: "a: 1\nm: {p: 1, q: 2}\nl: [1, 2]\n" },
      { path: "b.yaml", text: "m: {q: 3}\nl: [9]\n" },
    ],
    jsonValues: ['j={"k":1}'],
    values: ["s=1", "j.k=2"],
    stringValues: ["s=1"],
    fileValues: ["f=greeting.txt"],
    readFile: (p) => (p === "greeting.txt" ? "hi\n" : ""),
  });
  assert.deepEqual(v, { a: 1, m: { p: 1, q: 3 }, l: [9], j: { k: i(2) }, s: "1", f: "hi\n" });
});
