// Differential tests: the emulator's apply/update engine against structured-merge-diff (the
// library kube-apiserver uses), over the same sequences of applies and updates.
import assert from "node:assert/strict";
import { runSsaOracle, SWAGGER_JSON } from "../testing/oracle.ts";
import { FieldSet } from "./fieldpath.ts";
import { definitionType, type TypeNode } from "./schema.ts";
import { isObject, itemElement } from "./typed.ts";
import { apply, ApplyConflictError, type Managers, update } from "./updater.ts";
import { pathString } from "./fieldpath.ts";

interface Step {
  op: "apply" | "update";
  manager: string;
  object: Record<string, unknown>;
  force?: boolean;
}

interface StepResult {
  object?: unknown;
  managers?: Record<string, unknown>;
  error?: string;
  conflicts?: string[];
}

function runEmulator(type: string, steps: Step[]): StepResult[] {
  const t = definitionType(type);
  let live: unknown = {};
  let managers: Managers = new Map();
  const none = new FieldSet();
  return steps.map((s) => {
    const set = {
      id: s.manager,
      manager: s.manager,
      operation: s.op === "apply" ? "Apply" as const : "Update" as const,
      apiVersion: "v1",
      fields: new FieldSet(),
    };
    try {
      if (s.op === "apply") {
        const r = apply(live, s.object, t, managers, set, !!s.force, none);
        live = r.object;
        managers = r.managers;
      } else {
        managers = update(live, s.object, t, managers, set, none);
        live = s.object;
      }
    } catch (e) {
      if (e instanceof ApplyConflictError) {
        return {
          error: "conflict",
          conflicts: e.conflicts.map((c) => `${c.manager.id} ${pathString(c.path)}`).sort(),
        };
      }
      throw e;
    }
    const out: Record<string, unknown> = {};
    for (const [id, m] of managers) out[id] = m.fields.toFieldsV1();
    return { object: structuredClone(live), managers: out };
  });
}

/**
 * Debian's structured-merge-diff (v4.1.2) appends new list items after the live ones; the
 * version in Kubernetes 1.34 (which the emulator follows) keeps the applied order around shared
 * items. Items and their contents must agree; their order is compared in apply_order_test.ts.
 */
function sortAssociativeLists(v: unknown, t: TypeNode): unknown {
  if (Array.isArray(v) && t.kind === "list") {
    const items = v.map((x) => sortAssociativeLists(x, t.elem()));
    if (t.relationship === "atomic") return items;
    const keyed = items.map((x, i) => [itemElement(t, x, i, []), x] as const);
    return keyed.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0).map((x) => x[1]);
  }
  if (isObject(v) && t.kind === "map") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const f = t.fields.get(k) ?? t.elem;
      out[k] = f ? sortAssociativeLists(x, f()) : x;
    }
    return out;
  }
  return v;
}

async function compareWithOracle(type: string, steps: Step[]): Promise<void> {
  const expected = await runSsaOracle({
    swagger: SWAGGER_JSON,
    type,
    version: "v1",
    steps,
  }) as StepResult[];
  const actual = runEmulator(type, steps);
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    if (e.error) {
      assert.ok(
        actual[i].error,
        `step ${i}: the oracle failed (${e.error}) but the emulator did not`,
      );
      assert.deepEqual(actual[i].conflicts, (e.conflicts ?? []).sort(), `step ${i} conflicts`);
      return;
    }
    assert.equal(actual[i].error, undefined, `step ${i}: emulator failed but the oracle did not`);
    const t = definitionType(type);
    assert.deepEqual(
      sortAssociativeLists(actual[i].object, t),
      sortAssociativeLists(e.object, t),
      `step ${i}: object`,
    );
    assert.deepEqual(actual[i].managers, e.managers, `step ${i}: managers`);
  });
}

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";

function deployment(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec };
}

function template(containers: unknown[]): Record<string, unknown> {
  return { metadata: { labels: { app: "web" } }, spec: { containers } };
}

Deno.test({
  name: "list-map merging of containers, ports and env matches structured-merge-diff",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await compareWithOracle(DEPLOYMENT, [
      {
        op: "apply",
        manager: "a",
        object: deployment({
          replicas: 2,
          selector: { matchLabels: { app: "web" } },
          template: template([{
            name: "app",
            image: "app:1",
            ports: [{ containerPort: 80, protocol: "TCP" }],
            env: [{ name: "A", value: "1" }],
          }]),
        }),
      },
      {
        op: "apply",
        manager: "b",
        object: deployment({
          template: template([{ name: "sidecar", image: "s:1" }, {
            name: "app",
            env: [{ name: "B", value: "2" }],
            ports: [{ containerPort: 9090, protocol: "UDP" }],
          }]),
        }),
      },
      {
        op: "apply",
        manager: "b",
        object: deployment({
          template: template([{ name: "app", env: [{ name: "B", value: "3" }] }]),
        }),
      },
      {
        op: "apply",
        manager: "a",
        object: deployment({
          replicas: 3,
          selector: { matchLabels: { app: "web" } },
          template: template([{ name: "app", image: "app:2" }]),
        }),
      },
    ]);
  },
});

Deno.test({
  name: "conflicts, force and updates taking ownership match structured-merge-diff",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const base = deployment({
      replicas: 1,
      paused: false,
      selector: { matchLabels: { app: "web" } },
      template: template([{ name: "app", image: "a", args: ["--x"] }]),
    });
    await compareWithOracle(DEPLOYMENT, [
      { op: "apply", manager: "a", object: base },
      {
        op: "apply",
        manager: "b",
        object: deployment({ replicas: 5, template: template([{ name: "app", args: ["--y"] }]) }),
      },
      {
        op: "apply",
        manager: "b",
        object: deployment({ replicas: 5, template: template([{ name: "app", args: ["--y"] }]) }),
        force: true,
      },
      {
        op: "update",
        manager: "hpa",
        object: {
          ...deployment({
            replicas: 9,
            paused: false,
            selector: { matchLabels: { app: "web" } },
            template: template([{ name: "app", image: "a", args: ["--y"] }]),
          }),
        },
      },
      { op: "apply", manager: "b", object: deployment({ replicas: 5 }) },
      {
        op: "apply",
        manager: "a",
        object: deployment({
          selector: { matchLabels: { app: "web" } },
          template: template([{ name: "app", image: "a" }]),
        }),
      },
    ]);
  },
});

Deno.test({
  name: "removal of fields and structs an applier stops applying matches structured-merge-diff",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await compareWithOracle(DEPLOYMENT, [
      {
        op: "apply",
        manager: "a",
        object: {
          ...deployment({
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } },
            minReadySeconds: 5,
            template: template([{ name: "x", image: "x" }, { name: "y", image: "y" }]),
          }),
          metadata: { name: "web", labels: { l1: "a", l2: "b" }, finalizers: ["f/one", "f/two"] },
        },
      },
      {
        op: "apply",
        manager: "b",
        object: {
          ...deployment({ template: template([{ name: "y", image: "y" }]) }),
          metadata: { name: "web", finalizers: ["f/two"] },
        },
      },
      {
        op: "apply",
        manager: "a",
        object: {
          ...deployment({ template: template([{ name: "x", image: "x" }]) }),
          metadata: { name: "web", labels: { l1: "a" } },
        },
      },
      { op: "apply", manager: "b", object: deployment({}) },
    ]);
  },
});

Deno.test({
  name: "list order when applied items are reordered matches structured-merge-diff",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await compareWithOracle("io.k8s.api.core.v1.Service", [
      {
        op: "apply",
        manager: "a",
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "s" },
          spec: {
            ports: [{ port: 1, protocol: "TCP" }, { port: 2, protocol: "TCP" }, {
              port: 3,
              protocol: "TCP",
            }],
          },
        },
      },
      {
        op: "apply",
        manager: "b",
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "s" },
          spec: {
            ports: [{ port: 4, protocol: "TCP" }, { port: 2, protocol: "TCP", name: "two" }],
          },
        },
      },
      {
        op: "apply",
        manager: "a",
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "s" },
          spec: { ports: [{ port: 3, protocol: "TCP" }, { port: 1, protocol: "UDP" }] },
        },
      },
    ]);
  },
});
