// The order of merged list items, as structured-merge-diff in Kubernetes 1.34 makes it: live
// items keep their places, applied items keep the applied order around the items both share.
import assert from "node:assert/strict";
import { definitionType } from "./schema.ts";
import { merge } from "./typed.ts";

const service = definitionType("io.k8s.api.core.v1.Service");
const ports = (...n: number[]) => n.map((port) => ({ port, protocol: "TCP" }));
const order = (v: unknown) =>
  (v as { spec: { ports: { port: number }[] } }).spec.ports.map((p) => p.port);

Deno.test("new applied items go before the shared item they precede", () => {
  const live = { spec: { ports: ports(1, 2, 3) } };
  const merged = merge(live, { spec: { ports: ports(4, 2) } }, service);
  assert.deepEqual(order(merged), [1, 4, 2, 3]);
});

Deno.test("items only the applied list has come after the live items when nothing is shared", () => {
  const merged = merge({ spec: { ports: ports(1, 2) } }, { spec: { ports: ports(3) } }, service);
  assert.deepEqual(order(merged), [1, 2, 3]);
});

Deno.test("shared items follow the applied order", () => {
  const merged = merge(
    { spec: { ports: ports(1, 2, 3) } },
    { spec: { ports: ports(3, 1) } },
    service,
  );
  assert.deepEqual(order(merged), [2, 3, 1]);
});
