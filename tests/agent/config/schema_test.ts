// The schema DSL: one definition gives the static type and the checks, defaults apply the
// way Kubernetes applies them, and every problem is reported, not only the first.
import assert from "node:assert/strict";
import {
  array,
  boolean,
  type CheckContext,
  duration,
  enumOf,
  type Infer,
  integer,
  INVALID,
  object,
  string,
} from "../../../agent/config/schema/mod.ts";

function checker(namespace = "team-a", name = "web") {
  const problems: string[] = [];
  const ctx: CheckContext = {
    namespace,
    name,
    report: (path, message) => problems.push(`${path}: ${message}`),
  };
  return { ctx, problems };
}

const settings = object({
  interval: duration(),
  timeout: duration().defaultFromSiblings((s) => s.interval as string, "the interval"),
  mode: enumOf("fast", "safe").default("safe"),
  retries: integer({ min: 0, max: 10 }).default(3),
  tags: array(string()).optional(),
  owner: string().defaultFromSiblings((_, ctx) => ctx.namespace, "the namespace"),
  nested: object({ enabled: boolean().default(true) }).default({}),
});

Deno.test("the static type follows the schema: defaults are present, optionals may be absent", () => {
  type Settings = Infer<typeof settings>;
  const { ctx } = checker();
  const value = settings.check({ interval: "1m" }, "spec", ctx);
  assert.notEqual(value, INVALID);
  const typed = value as Settings;
  const timeout: string = typed.timeout;
  const mode: "fast" | "safe" = typed.mode;
  const tags: string[] | undefined = typed.tags;
  const enabled: boolean = typed.nested.enabled;
  assert.deepEqual({ timeout, mode, tags, enabled }, {
    timeout: "1m",
    mode: "safe",
    tags: undefined,
    enabled: true,
  });
});

Deno.test("defaults fill absent and null fields, computed ones from siblings and context", () => {
  const { ctx, problems } = checker();
  const value = settings.check({ interval: "90s", retries: null, tags: ["a"] }, "spec", ctx);
  assert.deepEqual(problems, []);
  assert.deepEqual(value, {
    interval: "90s",
    timeout: "90s",
    mode: "safe",
    retries: 3,
    tags: ["a"],
    owner: "team-a",
    nested: { enabled: true },
  });
});

Deno.test("every problem of an object is reported with its field path", () => {
  const { ctx, problems } = checker();
  const value = settings.check(
    {
      interval: "soon",
      mode: "Fast",
      retries: 11,
      tags: ["ok", 7],
      nested: { enabld: false },
      x: 1,
    },
    "spec",
    ctx,
  );
  assert.equal(value, INVALID);
  assert.deepEqual(problems, [
    "spec.x: unknown field (known fields: interval, timeout, mode, retries, tags, owner, nested)",
    'spec.interval: invalid duration "soon": expected a number and a unit (ns, us, ms, s, m, h) such as 90s, 1m30s, 1h or 500ms',
    'spec.mode: expected one of "fast", "safe", got string "Fast"; did you mean "fast"?',
    "spec.retries: must be at most 10, got 11",
    "spec.tags[1]: expected a string, got number 7",
    'spec.nested.enabld: unknown field; did you mean "enabled"?',
  ]);
});

Deno.test("refinements see the checked value and report at their own path", () => {
  const pair = object({ a: string().optional(), b: string().optional() }).refine((v, path, ctx) => {
    if ((v.a === undefined) === (v.b === undefined)) ctx.report(path, "set exactly one of a or b");
  });
  const { ctx, problems } = checker();
  assert.equal(pair.check({}, "spec.pair", ctx), INVALID);
  assert.deepEqual(pair.check({ a: "x" }, "spec.pair", ctx), { a: "x" });
  assert.deepEqual(problems, ["spec.pair: set exactly one of a or b"]);
});

Deno.test("schemas are immutable: doc() and optional() return copies", () => {
  const base = string();
  const described = base.doc("a name");
  const optional = base.optional();
  assert.equal(base.description, "");
  assert.equal(described.description, "a name");
  assert.equal(base.presence, "required");
  assert.equal(optional.presence, "optional");
});
