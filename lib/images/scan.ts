// One scan of an ImageRepository: list the registry's tags, drop the excluded ones, and report
// what Flux puts in the status (canonical image name, tag count, scan time). On failure the
// RegistryError propagates and the caller keeps its last good result, as Flux does.
import { compileGoRegexp, GoRegexpError } from "../regexp/mod.ts";
import {
  parseImageRef,
  RegistryClient,
  type RegistryClientOptions,
  type RegistryCredentials,
} from "../registry/mod.ts";

/** Flux's default `spec.exclusionList`: cosign signature tags. */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ["^.*\\.sig$"];

/** The scanning parts of an ImageRepository spec. */
export interface ImageRepositoryScanSpec {
  image: string;
  /** Go regexps; tags matching any are dropped. Absent means the default list. */
  exclusionList?: string[];
  insecure?: boolean;
}

export interface ScanResult {
  canonicalImageName: string;
  tags: string[];
  tagCount: number;
  lastScanTime: Date;
}

export class ExclusionListError extends Error {
  override readonly name = "ExclusionListError";
  constructor(readonly index: number, override readonly cause: GoRegexpError) {
    super(`spec.exclusionList[${index}]: ${cause.message}`);
  }
}

export interface ScanOptions {
  credentials?: RegistryCredentials;
  /** A client to reuse (token cache, CA); one is made from `clientOptions` otherwise. */
  client?: RegistryClient;
  clientOptions?: RegistryClientOptions;
  now?: () => Date;
}

export async function scanImageRepository(
  spec: ImageRepositoryScanSpec,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const exclusions = compileExclusions(spec.exclusionList ?? DEFAULT_EXCLUSION_LIST);
  const ref = parseImageRef(spec.image);
  const client = options.client ??
    new RegistryClient({ insecure: spec.insecure, ...options.clientOptions });
  try {
    const list = await client.listTags(ref, options.credentials);
    const tags = list.tags.filter((t) => !exclusions.some((re) => re.test(t)));
    return {
      canonicalImageName: list.canonicalName,
      tags,
      tagCount: tags.length,
      lastScanTime: (options.now ?? (() => new Date()))(),
    };
  } finally {
    if (!options.client) client.close();
  }
}

/** Compiles the exclusion patterns; throws ExclusionListError naming the bad entry. */
export function compileExclusions(patterns: readonly string[]): RegExp[] {
  return patterns.map((p, i) => {
    try {
      return compileGoRegexp(p);
    } catch (e) {
      if (e instanceof GoRegexpError) throw new ExclusionListError(i, e);
      throw e;
    }
  });
}
