// Writes a running agent makes for its own bookkeeping — the presence Lease it renews every
// period without leader election, Events — counted apart, so a test that counts the emulator's
// writes over a window can tell them from writes of the objects the agent applies.
import type { ApiServer } from "../apiserver/mod.ts";

/** Starts counting (rules that only count, never fail); returns the count so far. */
export function countBookkeepingWrites(api: ApiServer): () => number {
  const ids = [
    api.faults.add({ verb: "update", resource: "leases" }),
    api.faults.add({ verb: "create", resource: "leases" }),
    api.faults.add({ verb: "create", resource: "events" }),
  ];
  return () =>
    api.faults.list().filter((f) => ids.includes(f.id)).reduce((n, f) => n + f.matched, 0);
}
