// Leader election with a Lease, so several replicas can run and only one acts.
export { LeaderElector, type LeaderElectorOptions } from "./elector.ts";
