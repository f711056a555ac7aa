// Go-built references for the emulator's tests: the structured-merge-diff oracle and the
// protobuf form of the OpenAPI v2 document (kubectl 1.20 fetches /openapi/v2 as protobuf).
import { readGzipped } from "../k8s_data.ts";
import { buildOracle, runOracle } from "../../support/go.ts";
import { OPENAPI_V2_PB } from "../openapi.ts";

const root = new URL("../../../", import.meta.url).pathname;
export const SWAGGER_JSON = `${root}.cache/apiserver/swagger-v1.34.json`;

/**
 * Debian installs structured-merge-diff v4 without the /v4 directory its import paths name; in
 * GOPATH mode a link in the oracle GOPATH makes `sigs.k8s.io/structured-merge-diff/v4/...` resolve.
 */
async function linkSmdV4(): Promise<void> {
  const dir = `${root}.cache/gopath/src/sigs.k8s.io/structured-merge-diff`;
  await Deno.mkdir(dir, { recursive: true });
  try {
    await Deno.symlink("/usr/share/gocode/src/sigs.k8s.io/structured-merge-diff", `${dir}/v4`);
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
}

async function ensureSwaggerJson(): Promise<void> {
  try {
    await Deno.stat(SWAGGER_JSON);
  } catch {
    await Deno.mkdir(`${root}.cache/apiserver`, { recursive: true });
    const tmp = `${SWAGGER_JSON}.${Deno.pid}.tmp`;
    await Deno.writeFile(tmp, readGzipped("swagger-v1.34.json.gz"));
    await Deno.rename(tmp, SWAGGER_JSON);
  }
}

export async function ssaOracle(): Promise<string> {
  await linkSmdV4();
  await ensureSwaggerJson();
  return await buildOracle("ssa");
}

export async function runSsaOracle(input: unknown): Promise<unknown> {
  await ssaOracle();
  return JSON.parse(await runOracle("ssa", JSON.stringify(input), ["ssa"]));
}

/** Writes .cache/apiserver/openapi-v2.pb (once) so emulators started afterwards serve it. */
export async function ensureOpenApiProtobuf(): Promise<void> {
  try {
    await Deno.stat(OPENAPI_V2_PB);
    return;
  } catch {
    // make it
  }
  const bin = await ssaOracle();
  const child = new Deno.Command(bin, {
    args: ["openapi-pb"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(await Deno.readFile(SWAGGER_JSON));
  await writer.close();
  const out = await child.output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  const tmp = `${OPENAPI_V2_PB}.${Deno.pid}.tmp`;
  await Deno.writeFile(tmp, out.stdout);
  await Deno.rename(tmp, OPENAPI_V2_PB);
}
