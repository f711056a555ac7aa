import assert from "node:assert/strict";
import { Logger } from "../../../lib/log/mod.ts";

Deno.test("reconfigure changes level and format of the logger and every logger made with with()", () => {
  const lines: string[] = [];
  const root = new Logger({
    level: "warn",
    sink: { write: (l) => lines.push(l) },
    clock: () => new Date("2026-01-02T03:04:05Z"),
  });
  const child = root.with({ kind: "Kustomization" });
  child.info("hidden");
  root.reconfigure({ level: "info", format: "json" });
  child.info("shown");
  root.with({ name: "apps" }).debug("still below the level");
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { ts: "2026-01-02T03:04:05.000Z", level: "info", msg: "shown", kind: "Kustomization" },
  ]);
  child.reconfigure({ format: "text" });
  assert.equal([root.level, root.format].join(" "), "info text");
});
