// The simulated controllers, fed by the store's events.
import type { Authenticator } from "../auth/authn.ts";
import type { Catalog } from "../catalog.ts";
import type { StoreEvent } from "../store.ts";
import type { ControllerContext } from "./context.ts";
import { reconcileCrd } from "./crds.ts";
import { GarbageCollector, typeOfKey } from "./garbage_collector.ts";
import { reconcileNamespace } from "./namespaces.ts";
import { aggregateClusterRoles } from "./rbac_aggregation.ts";
import { reconcileJob } from "./jobs.ts";
import { reconcileService } from "./load_balancers.ts";
import { reconcileTokenSecret } from "./token_secrets.ts";
import { reconcilePvc } from "./volumes.ts";
import { reconcileWorkload, WORKLOAD_RESOURCES } from "./workloads.ts";

export { ControllerContext, FAIL_ANNOTATION } from "./context.ts";
export { crdResourceTypes, printerColumnsOf } from "./crds.ts";

export class Controllers {
  #gc: GarbageCollector;
  #aggregationQueued = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly catalog: Catalog,
    private readonly authn: Authenticator,
    private readonly caPem: string,
  ) {
    this.#gc = new GarbageCollector(ctx);
  }

  observe(e: StoreEvent): void {
    this.#gc.observe(e);
    if (e.type === "DELETED") {
      if (e.key === "clusterroles.rbac.authorization.k8s.io") this.#queueAggregation();
      return;
    }
    const rt = typeOfKey(this.catalog, e.key);
    if (!rt) return;
    const o = e.object;
    if (rt.group === "apps" && WORKLOAD_RESOURCES.includes(rt.resource)) {
      reconcileWorkload(this.ctx, rt, o);
    } else if (e.key === "jobs.batch") reconcileJob(this.ctx, rt, o);
    else if (e.key === "persistentvolumeclaims.") reconcilePvc(this.ctx, rt, o);
    else if (e.key === "services.") reconcileService(this.ctx, rt, o);
    else if (e.key === "secrets.") reconcileTokenSecret(this.ctx, rt, o, this.authn, this.caPem);
    else if (e.key === "namespaces.") reconcileNamespace(this.ctx, o, this.caPem);
    else if (e.key === "customresourcedefinitions.apiextensions.k8s.io") {
      reconcileCrd(this.ctx, rt, o, this.catalog);
    } else if (e.key === "clusterroles.rbac.authorization.k8s.io") this.#queueAggregation();
  }

  #queueAggregation(): void {
    if (this.#aggregationQueued) return;
    this.#aggregationQueued = true;
    this.ctx.later(0, () => {
      this.#aggregationQueued = false;
      aggregateClusterRoles(this.ctx);
    });
  }

  stop(): void {
    this.ctx.stop();
  }
}
