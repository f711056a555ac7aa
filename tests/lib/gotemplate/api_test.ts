// The public API as lib/helm uses it: template sets, options, errors as typed values, the
// value model, structs with methods, and language features newer than the Go oracle (1.19).
import assert from "node:assert/strict";
import {
  ExecError,
  fromPlain,
  GoFuncError,
  GoInt,
  goInt64,
  Template,
  TemplateError,
  typed,
  typeName,
  withGoType,
} from "../../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../../lib/sprig/mod.ts";

function render(text: string, data: unknown = {}): string {
  return new Template("t").funcs(sprigFuncs()).parse(text).execute(data);
}

Deno.test("parse errors are TemplateErrors naming the template and line", () => {
  let error: unknown;
  try {
    new Template("deploy.yaml").parse("a\n{{ .x ");
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof TemplateError);
  assert.equal(error.message, "template: deploy.yaml:2: unclosed action");
  assert.equal(error.templateName, "deploy.yaml");
  assert.equal(error.line, 2);
  assert.throws(() => new Template("t").parse("{{ upper 1 }}"), /function "upper" not defined/);
});

Deno.test("function errors surface as ExecErrors carrying the GoFuncError as cause", () => {
  const t = new Template("t").funcs({
    boom: typed(["string"], (s: string) => {
      throw new GoFuncError(`no ${s}`);
    }),
  }).parse('x\n  {{ boom "way" }}');
  try {
    t.execute({});
    assert.fail("expected an error");
  } catch (e) {
    assert.ok(e instanceof ExecError);
    assert.equal(
      e.message,
      'template: t:2:5: executing "t" at <boom "way">: error calling boom: no way',
    );
    assert.equal(e.templateName, "t");
    assert.ok(e.cause instanceof GoFuncError);
  }
});

Deno.test("a set shares defines; lookup, new, templates and definedTemplates see them", () => {
  const t = new Template("root").parse('{{ define "a" }}A{{ end }}root');
  t.new("b").parse('B{{ template "a" }}');
  assert.equal(t.lookup("b")!.execute({}), "BA");
  assert.equal(t.executeTemplate("a", {}), "A");
  assert.deepEqual(t.templates().map((x) => x.name).sort(), ["a", "b", "root"]);
  assert.match(t.definedTemplates(), /^; defined templates are: /);
  assert.throws(
    () => t.executeTemplate("zz", {}),
    { message: 'template: no template "zz" associated with template "root"' },
  );
  assert.throws(
    () => new Template("empty").execute({}),
    { message: 'template: empty: "empty" is an incomplete or empty template' },
  );
});

Deno.test("a clone changes independently of the original set", () => {
  const t = new Template("root").parse('{{ define "a" }}A{{ end }}{{ template "a" }}');
  const c = t.clone();
  c.new("a").parse("changed");
  assert.equal(t.execute({}), "A");
  assert.equal(c.execute({}), "changed");
  assert.equal(c.name, "root");
});

Deno.test("delims and the missingkey option", () => {
  assert.equal(
    new Template("t").delims("[[", "]]").parse("{{ x }} [[ .a ]]").execute({ a: 1 }),
    "{{ x }} 1",
  );
  const m = (k: "default" | "zero" | "error") =>
    new Template("t", { missingKey: k }).parse("{{ .nope }}");
  assert.equal(m("default").execute({}), "<no value>");
  assert.equal(m("zero").execute({}), "<no value>");
  assert.throws(() => m("error").execute({}), /map has no entry for key "nope"/);
  assert.throws(
    () => new Template("t").option("zero").parse("{{ .a.b }}").execute({}),
    /nil pointer evaluating interface \{\}.b/,
  );
});

Deno.test("values from YAML print as Helm prints them: float64, and int64 from --set", () => {
  const values = fromPlain({ n: 1000000, f: 1.5, big: 12345678, list: [1], m: { a: null } });
  assert.equal(
    render("{{ .n }} {{ .f }} {{ .big }} {{ typeOf .n }}", values),
    "1e+06 1.5 1.2345678e+07 float64",
  );
  const set = fromPlain({ n: 1000000 }, { integers: true });
  assert.equal(render("{{ .n }} {{ typeOf .n }}", set), "1000000 int64");
  assert.equal(render("{{ .n }}", { n: goInt64(5) }), "5");
  assert.ok((set as { n: unknown }).n instanceof GoInt);
  assert.equal(render("{{ .m.a }}|{{ typeOf .list }}", values), "<no value>|[]interface {}");
});

Deno.test("structs expose fields and methods; unknown fields are Go's error", () => {
  class Files {
    static goType = "engine.Files";
    constructor(private readonly data: Record<string, string>) {}
    Get(name: string): string {
      return this.data[name] ?? "";
    }
  }
  class Release {
    Name = "demo";
    IsInstall = true;
  }
  const data = { Files: new Files({ "a.txt": "hello" }), Release: new Release() };
  assert.equal(
    render('{{ .Files.Get "a.txt" | upper }} {{ .Release.Name }} {{ .Release.IsInstall }}', data),
    "HELLO demo true",
  );
  // Reached through a map[string]interface{}, the static type Go names is interface {}.
  assert.throws(
    () => render("{{ .Release.Nope }}", data),
    /can't evaluate field Nope in type interface \{\}/,
  );
  assert.throws(
    () => render("{{ .Nope }}", new Release()),
    /can't evaluate field Nope in type Release/,
  );
  assert.equal(render("{{ typeOf .Files }}", data), "engine.Files");
  assert.equal(typeName(withGoType(["a"], "[]string")), "[]string");
});

Deno.test("range over an integer (Go 1.22) counts from zero", () => {
  assert.equal(render("{{ range 3 }}{{ . }}{{ end }}"), "012");
  assert.equal(render("{{ range $i := 3 }}{{ $i }},{{ end }}"), "0,1,2,");
  assert.equal(render("{{ range 0 }}x{{ else }}none{{ end }}"), "none");
  assert.equal(render("{{ range $i := len (list 1 2) }}{{ $i }}{{ end }}"), "01");
  assert.throws(
    () => render("{{ range $i, $e := 3 }}{{ end }}"),
    /can't use 3 to iterate over more than one variable/,
  );
});

Deno.test("else with (Go 1.23) chains like else if", () => {
  const t = "{{ with .a }}A{{ . }}{{ else with .b }}B{{ . }}{{ else }}C{{ end }}";
  assert.equal(render(t, { a: 1 }), "A1");
  assert.equal(render(t, { b: 2 }), "B2");
  assert.equal(render(t, {}), "C");
});

Deno.test("runaway recursion stops with an ExecError instead of crashing", () => {
  assert.throws(
    () => render('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'),
    (e: unknown) => e instanceof ExecError && /exceeded maximum template depth/.test(e.message),
  );
});

Deno.test("plain JS functions take interface{} arguments", () => {
  const t = new Template("t").funcs({ join2: (a: unknown, b: unknown) => `${a}+${b}` });
  assert.equal(t.parse('{{ join2 "x" 1 }}').execute({}), "x+1");
});

Deno.test("methods without arguments can sit in the middle of a field chain", () => {
  class Versions {
    Has(v: string): boolean {
      return v === "apps/v1";
    }
  }
  class Capabilities {
    APIVersions(): Versions {
      return new Versions();
    }
  }
  const data = { Capabilities: new Capabilities() };
  assert.equal(render('{{ .Capabilities.APIVersions.Has "apps/v1" }}', data), "true");
  assert.throws(
    () => render("{{ .Capabilities.APIVersions.Has }}", data),
    /wrong number of args for Has: want 1 got 0/,
  );
});

Deno.test("a __proto__ key is an ordinary map key", () => {
  const values = fromPlain(JSON.parse('{"__proto__": {"x": 1}, "a": 2}'));
  assert.equal(render('{{ len . }} {{ index . "__proto__" }}', values), "2 map[x:1]");
  assert.equal(
    render('{{ $d := dict "__proto__" 1 }}{{ keys $d }} {{ toJson $d }}'),
    '[__proto__] {"__proto__":1}',
  );
});
