// The feature fixtures in testdata/: one directory per feature, each with the output of the real
// kustomize (`kubectl kustomize`, v5.5) stored as expected.yaml.
import { fileURLToPath } from "node:url";

export const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));

export function fixtureNames(): string[] {
  return [...Deno.readDirSync(TESTDATA)]
    .filter((e) => e.isDirectory)
    .map((e) => e.name)
    .filter((name) => {
      try {
        Deno.statSync(`${TESTDATA}${name}/expected.yaml`);
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}
