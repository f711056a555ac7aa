import assert from "node:assert/strict";
import { applyJsonPatch, JsonPatchError } from "../../../../lib/kustomize/mod.ts";

Deno.test("add, replace, remove, move, copy and test apply in order", () => {
  const out = applyJsonPatch({ a: { b: [1, 2] }, c: "x" }, [
    { op: "add", path: "/a/b/-", value: 3 },
    { op: "add", path: "/a/b/0", value: 0 },
    { op: "replace", path: "/c", value: "y" },
    { op: "copy", from: "/c", path: "/d" },
    { op: "move", from: "/d", path: "/e~1f" },
    { op: "remove", path: "/a/b/1" },
    { op: "test", path: "/c", value: "y" },
  ]);
  assert.deepEqual(out, { a: { b: [0, 2, 3] }, c: "y", "e/f": "y" });
});

Deno.test("replace and remove of a missing path fail with the operation named", () => {
  assert.throws(
    () => applyJsonPatch({ a: 1 }, [{ op: "replace", path: "/b", value: 2 }]),
    (e: Error) => e instanceof JsonPatchError && e.message.startsWith("operation 0 (replace /b)"),
  );
  assert.throws(() => applyJsonPatch({ a: [1] }, [{ op: "remove", path: "/a/3" }]), JsonPatchError);
  assert.throws(
    () => applyJsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]),
    /test failed/,
  );
});
