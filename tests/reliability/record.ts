// What a passing scenario records for the report: when SKIFF_RELIABILITY_RESULTS names a folder
// (report.ts sets it), each scenario writes one JSON file there; otherwise recording is a no-op,
// so the suite runs the same in CI.
import { join } from "node:path";
import { SCENARIOS } from "./scenarios.ts";

export interface ScenarioResult {
  id: string;
  /** Faults the scenario injected (emulator fault rules fired, broken servers, hostile inputs). */
  faultsInjected: number;
  /** Objects in Git that were missing from the cluster at the end (must be 0). */
  objectsLost: number;
  /** Occurrences of test secrets in anything the scenario could observe (must be 0). */
  secretsLeaked: number;
  /** Anything worth a number in the report, e.g. "500 objects, 3 retries". */
  note?: string;
}

export const RESULTS_ENV = "SKIFF_RELIABILITY_RESULTS";

/** Records a scenario as passed; call it after the scenario's assertions. */
export async function recordScenario(
  id: string,
  counts: Partial<Omit<ScenarioResult, "id">> = {},
): Promise<void> {
  if (!SCENARIOS.some((s) => s.id === id)) {
    throw new Error(`recordScenario: "${id}" is not in tests/reliability/scenarios.ts`);
  }
  const dir = Deno.env.get(RESULTS_ENV);
  if (!dir) return;
  const result: ScenarioResult = {
    id,
    faultsInjected: counts.faultsInjected ?? 0,
    objectsLost: counts.objectsLost ?? 0,
    secretsLeaked: counts.secretsLeaked ?? 0,
    ...(counts.note ? { note: counts.note } : {}),
  };
  await Deno.writeTextFile(join(dir, `${id}.json`), JSON.stringify(result) + "\n");
}
