// What every Helm action needs from outside: the cluster (client, apply engine), release
// storage, and a clock, handed in so tests use real servers and a fixed time.
import type { ApplyEngine, KubeClient } from "../../kube/mod.ts";
import type { ReleaseStorage } from "../release/mod.ts";

export interface ActionEnv {
  client: KubeClient;
  /** Applies manifests with server-side apply (its field manager is the one used, "skiff"). */
  engine: ApplyEngine;
  storage: ReleaseStorage;
  now?: () => Date;
  /** Progress lines ("running pre-install hook web-migrate"), for logs. */
  log?: (message: string) => void;
}

/** Go's time.Time JSON (RFC 3339 with nanoseconds) for a JS Date. */
export function timestampOf(env: ActionEnv): string {
  return (env.now ? env.now() : new Date()).toISOString();
}
