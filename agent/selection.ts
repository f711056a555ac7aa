// Which objects of the config this agent instance owns: Flux's sharding convention. An agent
// without a shard takes the objects without a `sharding.fluxcd.io/key` label; an agent with
// shard S takes exactly those labelled S. Several skiff Deployments split a large config this way.
import type { FluxObject } from "./config/mod.ts";

export const SHARD_LABEL = "sharding.fluxcd.io/key";

export function ownedByShard(obj: FluxObject, shard: string | undefined): boolean {
  const label = obj.metadata.labels?.[SHARD_LABEL];
  return shard === undefined ? label === undefined : label === shard;
}
