// Runs tests/fixtures/helmrelease/go-release: Helm's release structs in Go, used to check that
// release bodies skiff writes decode strictly the way Helm decodes them.
import { buildGoProgram, runGoProgram } from "../../../support/go.ts";

const SOURCE = new URL("../../../fixtures/helmrelease/go-release", import.meta.url).pathname;

/** Runs go-release in a mode ("decode" | "encode") with stdin; returns stdout. */
export async function goRelease(mode: "decode" | "encode", input: string): Promise<string> {
  return runGoProgram(await buildGoProgram(SOURCE, "go-release"), input, [mode]);
}
