import assert from "node:assert/strict";
import {
  automationTemplateData,
  CommitMessageError,
  DEFAULT_COMMIT_MESSAGE,
  renderCommitMessage,
  type SetterChange,
} from "../../../lib/images/mod.ts";

const CHANGES: SetterChange[] = [
  {
    file: "apps/web.yaml",
    object: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" },
    setter: "flux-system:web",
    field: "spec.template.spec.containers[0].image",
    oldValue: "ghcr.io/acme/web:1.0.0",
    newValue: "ghcr.io/acme/web:1.1.0",
    policy: { namespace: "flux-system", name: "web" },
    image: "ghcr.io/acme/web:1.1.0",
  },
  {
    file: "apps/values.yaml",
    object: { apiVersion: "", kind: "", name: "", namespace: "" },
    setter: "flux-system:api:tag",
    field: "image.tag",
    oldValue: "2.0",
    newValue: "2.1",
    policy: { namespace: "flux-system", name: "api" },
    image: "api:2.1",
  },
  {
    file: "apps/web.yaml",
    object: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" },
    setter: "flux-system:web",
    field: "spec.template.spec.containers[0].image",
    oldValue: "ghcr.io/acme/web:1.0.0",
    newValue: "ghcr.io/acme/web:1.1.0",
    policy: { namespace: "flux-system", name: "web" },
    image: "ghcr.io/acme/web:1.1.0",
  },
];

const data = automationTemplateData({ name: "fleet", namespace: "flux-system" }, CHANGES, {
  env: "prod",
});

Deno.test("template data has Flux's .Changed shapes: FileChanges, Changes, Objects", () => {
  assert.deepEqual(Object.keys(data.Changed.FileChanges).sort(), [
    "apps/values.yaml",
    "apps/web.yaml",
  ]);
  assert.deepEqual(
    data.Changed.Changes().map((c) => `${c.Setter}: ${c.OldValue} -> ${c.NewValue}`),
    [
      "flux-system:api:tag: 2.0 -> 2.1",
      "flux-system:web: ghcr.io/acme/web:1.0.0 -> ghcr.io/acme/web:1.1.0",
    ],
  );
  const objects = [...data.Changed.Objects().keys()].map((o) => `${o.Kind}/${o.Name}`);
  assert.deepEqual(objects, ["/", "Deployment/web"]);
  assert.equal(data.Changed.ImageResult, data.Updated);
});

Deno.test("template data has the older .Updated shapes: Files, Objects, Images", () => {
  assert.deepEqual(Object.keys(data.Updated.Files).sort(), ["apps/values.yaml", "apps/web.yaml"]);
  const images = data.Updated.Images();
  assert.deepEqual(images.map((i) => i.String()), ["api:2.1", "ghcr.io/acme/web:1.1.0"]);
  assert.equal(images[0].Name(), "index.docker.io/library/api:2.1");
  assert.equal(images[1].Identifier(), "1.1.0");
  assert.equal(images[1].Repository(), "acme/web");
  assert.equal(images[1].Registry(), "ghcr.io");
  assert.equal(images[1].Policy().String(), "flux-system/web");
  assert.equal(data.Updated.Objects().size, 2);
});

Deno.test("commit messages render with lib/gotemplate, Flux's documented templates included", () => {
  assert.equal(renderCommitMessage(undefined, data), DEFAULT_COMMIT_MESSAGE);
  const current = [
    "Automated image update by {{ .AutomationObject }} ({{ .Values.env }})",
    "",
    "Files:",
    "{{ range $filename, $_ := .Changed.FileChanges -}}",
    "- {{ $filename }}",
    "{{ end -}}",
    "Changes:",
    "{{ range .Changed.Changes -}}",
    "- {{ .OldValue }} -> {{ .NewValue }}",
    "{{ end -}}",
  ].join("\n");
  assert.equal(
    renderCommitMessage(current, data),
    [
      "Automated image update by flux-system/fleet (prod)",
      "",
      "Files:",
      "- apps/values.yaml",
      "- apps/web.yaml",
      "Changes:",
      "- 2.0 -> 2.1",
      "- ghcr.io/acme/web:1.0.0 -> ghcr.io/acme/web:1.1.0",
      "",
    ].join("\n"),
  );
  const v1beta1 = [
    "Files:",
    "{{ range $filename, $_ := .Updated.Files -}}",
    "- {{ $filename }}",
    "{{ end -}}",
    "Images:",
    "{{ range .Updated.Images -}}",
    "- {{.}}",
    "{{ end -}}",
  ].join("\n");
  assert.equal(
    renderCommitMessage(v1beta1, data),
    "Files:\n- apps/values.yaml\n- apps/web.yaml\nImages:\n- api:2.1\n- ghcr.io/acme/web:1.1.0\n",
  );
});

Deno.test("template errors name the field and keep Go's message", () => {
  assert.throws(() => renderCommitMessage("{{ .Nope.X }", data), CommitMessageError);
  assert.throws(
    () => renderCommitMessage("{{ .Nope.X }}", data),
    /spec.git.commit.messageTemplate: failed to run template: .*can't evaluate field Nope/,
  );
});

Deno.test("message templates get Sprig's hermetic functions, not the clock or randomness", () => {
  assert.equal(
    renderCommitMessage(
      '{{ .AutomationObject.Name | upper }}: {{ len .Changed.Changes | printf "%d" }} {{ "x" | quote }}',
      data,
    ),
    'FLEET: 2 "x"',
  );
  assert.throws(() => renderCommitMessage("{{ now }}", data), /function "now" not defined/);
  assert.throws(() => renderCommitMessage("{{ uuidv4 }}", data), /function "uuidv4" not defined/);
});
