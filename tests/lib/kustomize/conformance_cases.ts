// Reads ../shared/conformance/kustomize (beside the repository) for the conformance tests.
import { fileURLToPath } from "node:url";

export const CONFORMANCE_DIR = fileURLToPath(
  new URL("../../../../shared/conformance/kustomize/", import.meta.url),
);

export interface ConformanceCase {
  id: string;
  feature: string;
  expectError: boolean;
}

export function conformanceAvailable(): boolean {
  try {
    Deno.statSync(CONFORMANCE_DIR + "cases.tsv");
    return true;
  } catch {
    return false;
  }
}

export function readCases(): ConformanceCase[] {
  const lines = Deno.readTextFileSync(CONFORMANCE_DIR + "cases.tsv").trim().split("\n").slice(1);
  return lines.map((line) => {
    const cols = line.split("\t");
    return { id: cols[0], feature: cols[2], expectError: cols[5] === "error" };
  });
}
