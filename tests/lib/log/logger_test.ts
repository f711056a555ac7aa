import assert from "node:assert/strict";
import { Logger, MASK, SecretRegistry } from "../../../lib/log/mod.ts";

function capture(options: ConstructorParameters<typeof Logger>[0] = {}) {
  const lines: string[] = [];
  const logger = new Logger({
    sink: { write: (l) => lines.push(l) },
    clock: () => new Date("2026-01-02T03:04:05Z"),
    ...options,
  });
  return { logger, lines };
}

Deno.test("text lines carry the level, message and fields", () => {
  const { logger, lines } = capture();
  logger.with({ kind: "Kustomization", name: "apps" }).info("applied", {
    revision: "main@sha1:ab",
  });
  assert.equal(
    lines[0],
    "2026-01-02T03:04:05.000Z INFO  applied kind=Kustomization name=apps revision=main@sha1:ab",
  );
});

Deno.test("json lines are one object per line", () => {
  const { logger, lines } = capture({ format: "json" });
  logger.warn("slow", { namespace: "flux-system" });
  assert.deepEqual(JSON.parse(lines[0]), {
    ts: "2026-01-02T03:04:05.000Z",
    level: "warn",
    msg: "slow",
    namespace: "flux-system",
  });
});

Deno.test("lines below the level are dropped", () => {
  const { logger, lines } = capture({ level: "warn" });
  logger.info("quiet");
  logger.debug("quieter");
  logger.error("loud");
  assert.equal(lines.length, 1);
});

Deno.test("registered secrets are masked in messages and fields", () => {
  const secrets = new SecretRegistry();
  secrets.add("hunter2-password");
  const { logger, lines } = capture({ secrets, format: "json" });
  logger.error("auth failed for hunter2-password", { url: "https://u:hunter2-password@h/x" });
  assert.ok(!lines[0].includes("hunter2-password"));
  assert.ok(lines[0].includes(MASK));
});
