import assert from "node:assert/strict";
import { ConfigError, loadConfigText, PROVIDER_TYPES } from "../../../agent/config/mod.ts";
import { plannedCalls, SUPPORTED_PROVIDER_TYPES } from "../../../agent/events/mod.ts";
import { fixtureEvent, providerContext } from "./event_fixture.ts";

function providerDoc(type: string, extra = ""): string {
  return `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: p}
spec: {type: ${type}${extra}}
`;
}

function loadError(text: string): string | undefined {
  try {
    loadConfigText(text, "providers.yaml");
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
}

Deno.test("every Provider type is either sent by skiff or refused when the config loads", async () => {
  const supported = new Set<string>(SUPPORTED_PROVIDER_TYPES);
  for (const type of PROVIDER_TYPES) {
    const error = loadError(providerDoc(type));
    if (supported.has(type)) {
      assert.equal(error, undefined, `${type} loads`);
      // A builder exists: it plans calls or names what is missing, never "unsupported".
      await plannedCalls(providerContext(type), fixtureEvent()).catch((e) => {
        assert.doesNotMatch(String(e), /not supported/, type);
      });
    } else {
      assert.match(
        error ?? "",
        new RegExp(`spec\\.type: provider type ${type} is not supported by skiff \\(`),
        type,
      );
    }
  }
});

Deno.test("commitStatusExpr is refused: skiff has no CEL evaluator", () => {
  assert.match(
    loadError(providerDoc("github", `, commitStatusExpr: "event.reason"`)) ?? "",
    /spec\.commitStatusExpr: is not supported by skiff/,
  );
});
