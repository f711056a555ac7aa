import assert from "node:assert/strict";
import { Inventory, type KubeObject } from "../../../lib/kube/mod.ts";

const objects: KubeObject[] = [
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "apps" } },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "system:metrics-reader" },
  },
];

Deno.test("inventory encodes as Flux's status.inventory entries and decodes back", () => {
  const inventory = Inventory.fromObjects(objects);
  const encoded = inventory.encode();
  assert.deepEqual(encoded, {
    entries: [
      { id: "_apps__Namespace", v: "v1" },
      { id: "_system__metrics-reader_rbac.authorization.k8s.io_ClusterRole", v: "v1" },
      { id: "apps_web_apps_Deployment", v: "v1" },
    ],
  });
  const decoded = Inventory.decode(encoded);
  assert.deepEqual(decoded.entries(), inventory.entries());
  assert.equal(
    decoded.entries().find((e) => e.kind === "ClusterRole")?.name,
    "system:metrics-reader",
  );
});

Deno.test("without() lists what the new set no longer has, independent of API version", () => {
  const previous = Inventory.fromObjects(objects);
  const next = Inventory.fromObjects([
    {
      apiVersion: "apps/v1beta2",
      kind: "Deployment",
      metadata: { name: "web", namespace: "apps" },
    },
    objects[1],
  ]);
  assert.deepEqual(previous.without(next).map((e) => e.name), ["system:metrics-reader"]);
});
