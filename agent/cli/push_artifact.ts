// `skiff push artifact oci://host/repo:tag --path DIR --source URL --revision REV`: publish a
// directory as an OCI artifact the way `flux push artifact` does, for an OCIRepository to pull.
import { OciError, pushOciArtifact } from "../../lib/oci/mod.ts";
import type { RegistryCredentials } from "../../lib/registry/mod.ts";
import { CommandError, formatData, type OutputFormat, UsageError } from "./output.ts";

export interface PushArtifactOptions {
  path: string;
  source: string;
  revision: string;
  /** `user:password`, as flux's --creds (a bare token is sent as a password). */
  creds?: string;
  /** Comma-separated .gitignore patterns, repeatable. */
  ignorePaths?: string[];
  /** `key=value`, repeatable. */
  annotations?: string[];
  /** Talk plain HTTP to the registry. */
  insecureRegistry?: boolean;
  /** A PEM bundle to trust for the registry's certificate. */
  caFile?: string;
  output: OutputFormat;
}

export async function pushArtifactCommand(
  url: string,
  options: PushArtifactOptions,
): Promise<number> {
  const info = await Deno.stat(options.path).catch(() => undefined);
  if (!info?.isDirectory) throw new UsageError(`--path ${options.path}: not a directory`);
  const caCerts = options.caFile ? [await readCaFile(options.caFile)] : undefined;
  if (options.output === "table") console.error(`► pushing artifact to ${url}`);
  try {
    const result = await pushOciArtifact({
      url,
      path: options.path,
      source: options.source,
      revision: options.revision,
      ignorePaths: (options.ignorePaths ?? []).flatMap((p) => p.split(",")).filter((p) => p),
      annotations: parseAnnotations(options.annotations ?? []),
      credentials: parseCreds(options.creds),
    }, { insecure: options.insecureRegistry ?? false, caCerts, userAgent: "skiff" });
    if (options.output === "table") {
      console.error(`✔ artifact successfully pushed to ${result.reference}`);
    } else {
      const [repository] = result.reference.split("@");
      const data = {
        repository: repository.slice(0, repository.lastIndexOf(":")),
        tag: repository.slice(repository.lastIndexOf(":") + 1),
        digest: result.digest,
        url: result.reference,
        files: result.files,
      };
      Deno.stdout.writeSync(new TextEncoder().encode(formatData(data, options.output)));
    }
    return 0;
  } catch (e) {
    if (e instanceof OciError) throw new CommandError(e.message, e.reason === "InvalidUrl" ? 2 : 1);
    throw e;
  }
}

function parseCreds(creds: string | undefined): RegistryCredentials | undefined {
  if (creds === undefined) return undefined;
  const colon = creds.indexOf(":");
  if (colon < 0) return { username: "skiff", password: creds };
  return { username: creds.slice(0, colon), password: creds.slice(colon + 1) };
}

function parseAnnotations(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--annotations ${pair}: expected key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

async function readCaFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new UsageError(`--ca-file ${path}: ${(e as Error).message}`);
  }
}
