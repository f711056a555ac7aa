// Everything a request builder needs about the Provider an event goes to: its identity, type,
// effective address (the Secret's `address` wins over spec.address, as in Flux) and Secret.
import type { ProviderSecret } from "./secret.ts";

export interface ProviderContext {
  namespace: string;
  name: string;
  type: string;
  address?: string;
  channel?: string;
  /** The Secret's `username` wins over spec.username. */
  username?: string;
  secret: ProviderSecret;
}

export class ProviderSetupError extends Error {
  override readonly name = "ProviderSetupError";
  constructor(readonly field: string, readonly detail: string) {
    super(`${field}: ${detail}`);
  }
}

export function requireAddress(p: ProviderContext, what: string): string {
  if (!p.address) {
    throw new ProviderSetupError(
      "spec.address",
      `a ${p.type} provider needs ${what} (spec.address or the Secret's 'address' key)`,
    );
  }
  return p.address;
}

/** The address as a URL; an unparsable one is named without quoting it (it may hold a token). */
export function requireUrl(p: ProviderContext, what: string): URL {
  const address = requireAddress(p, what);
  try {
    return new URL(address);
  } catch {
    throw new ProviderSetupError("spec.address", `a ${p.type} provider needs ${what}: not a URL`);
  }
}

export function requireToken(p: ProviderContext, what: string): string {
  if (!p.secret.token) {
    throw new ProviderSetupError(
      "spec.secretRef",
      `a ${p.type} provider needs ${what} in the 'token' key of its Secret`,
    );
  }
  return p.secret.token;
}

export function requireChannel(p: ProviderContext, what: string): string {
  if (!p.channel) {
    throw new ProviderSetupError("spec.channel", `a ${p.type} provider needs ${what}`);
  }
  return p.channel;
}
