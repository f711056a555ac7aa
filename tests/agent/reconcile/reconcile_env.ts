// The environment for calling one reconciler directly against an emulator: fresh stores, a
// quiet logger, no drift tracking; a test passes what it watches (artifacts, images, trigger).
import type { Config } from "../../../agent/config/mod.ts";
import { ImageStore } from "../../../agent/images/mod.ts";
import { InventoryStore } from "../../../agent/inventory/mod.ts";
import type { ReconcileEnv } from "../../../agent/reconcile/mod.ts";
import { ArtifactStore } from "../../../agent/sources/mod.ts";
import { StatusStore } from "../../../agent/status/mod.ts";
import { ApplyEngine, type KubeClient } from "../../../lib/kube/mod.ts";
import { Logger } from "../../../lib/log/mod.ts";

export function reconcileEnv(
  config: Config,
  client: KubeClient,
  cacheDir: string,
  given: Partial<ReconcileEnv> = {},
): ReconcileEnv {
  return {
    config,
    client,
    engine: new ApplyEngine(client),
    artifacts: new ArtifactStore(),
    statuses: new StatusStore(),
    inventories: new InventoryStore(client, "flux-system"),
    images: new ImageStore(),
    trigger: () => {},
    cacheDir,
    logger: new Logger({ level: "error", sink: { write: () => {} } }),
    signal: new AbortController().signal,
    ...given,
  };
}
