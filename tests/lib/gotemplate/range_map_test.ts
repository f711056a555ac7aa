// A JS Map stands for a Go map with non-string keys (lib/images hands over
// map[ObjectIdentifier][]Change that way): range, len and if treat it as Go treats a map.
import assert from "node:assert/strict";
import { Template } from "../../../lib/gotemplate/mod.ts";

class Key {
  static readonly goType = "update.ObjectIdentifier";
  constructor(readonly Kind: string, readonly Name: string) {}
}

function render(text: string, data: unknown): string {
  return new Template("t").parse(text).execute(data);
}

Deno.test("range over a Map yields its entries in insertion order with the key as range key", () => {
  const objects = new Map<Key, string[]>([
    [new Key("Deployment", "web"), ["a:1", "a:2"]],
    [new Key("CronJob", "backup"), ["b:1"]],
  ]);
  assert.equal(
    render(
      "{{range $k, $v := .}}{{$k.Kind}}/{{$k.Name}}={{range $v}}{{.}};{{end}} {{end}}",
      objects,
    ),
    "Deployment/web=a:1;a:2; CronJob/backup=b:1; ",
  );
  assert.equal(render("{{range $v := .}}{{len $v}}{{end}}", objects), "21");
  assert.equal(render("{{range .}}[{{index . 0}}]{{end}}", objects), "[a:1][b:1]");
});

Deno.test("an empty Map takes the else branch, is false and has length 0", () => {
  const empty = new Map<Key, string[]>();
  assert.equal(render("{{range .}}x{{else}}none{{end}}", empty), "none");
  assert.equal(render("{{if .}}yes{{else}}no{{end}} {{len .}}", empty), "no 0");
  assert.equal(render("{{if .}}yes{{end}} {{len .}}", new Map([[1, 2]])), "yes 1");
});

Deno.test("break and continue work inside range over a Map", () => {
  const m = new Map([["a", 1], ["b", 2], ["c", 3]]);
  assert.equal(
    render('{{range $k, $v := .}}{{if eq $k "b"}}{{continue}}{{end}}{{$k}}{{end}}', m),
    "ac",
  );
  assert.equal(
    render('{{range $k, $v := .}}{{if eq $k "b"}}{{break}}{{end}}{{$k}}{{end}}', m),
    "a",
  );
});
