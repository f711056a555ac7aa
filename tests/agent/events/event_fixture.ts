// The smallest events and Provider contexts the provider tests need.
import type { AgentEvent, ProviderContext, ProviderSecret } from "../../../agent/events/mod.ts";

export const SHA = "0123456789abcdef0123456789abcdef01234567";

export function fixtureEvent(overrides: Partial<AgentEvent> = {}): AgentEvent {
  return {
    involvedObject: { kind: "Kustomization", namespace: "flux-system", name: "apps" },
    severity: "info",
    reason: "ReconciliationSucceeded",
    message: "Applied revision: main@sha1:" + SHA,
    timestamp: "2026-01-02T03:04:05.678Z",
    metadata: { revision: `main@sha1:${SHA}` },
    reportingController: "skiff",
    reportingInstance: "test",
    ...overrides,
  };
}

export function providerContext(
  type: string,
  fields: Partial<Omit<ProviderContext, "type" | "secret">> = {},
  secret: ProviderSecret = {},
): ProviderContext {
  return { namespace: "flux-system", name: "forge", type, ...fields, secret };
}
