// `skiff version`: what is running.
import { SKIFF_VERSION } from "../version.ts";
import { formatData, type OutputFormat } from "./output.ts";

export function versionInfo() {
  return {
    skiff: SKIFF_VERSION,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    platform: `${Deno.build.os}/${Deno.build.arch}`,
  };
}

export function versionCommand(format: OutputFormat): number {
  const info = versionInfo();
  if (format !== "table") {
    Deno.stdout.writeSync(new TextEncoder().encode(formatData(info, format)));
    return 0;
  }
  console.log(`skiff ${info.skiff}`);
  console.log(`deno ${info.deno} (v8 ${info.v8}, typescript ${info.typescript}) ${info.platform}`);
  return 0;
}
