// Image references as Docker and Flux read them: `[registry/]repository[:tag][@digest]`, with
// Docker Hub's defaults filled in (`nginx` is `index.docker.io/library/nginx`).

export const DOCKER_HUB = "index.docker.io";

/** Host names that all mean Docker Hub. */
export const DOCKER_HUB_ALIASES: readonly string[] = [
  "index.docker.io",
  "docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
];

export interface ImageReference {
  /** The text parsed, unchanged. */
  readonly original: string;
  /** Registry host[:port], Docker Hub normalised to `index.docker.io`. */
  readonly registry: string;
  /** Repository path inside the registry (`library/nginx`). */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** `registry/repository`, what Flux shows as the canonical image name. */
  readonly canonicalName: string;
  /** The name part as written (no tag, no digest), e.g. `nginx` or `ghcr.io/org/app`. */
  readonly name: string;
}

export class ImageReferenceError extends Error {
  override readonly name = "ImageReferenceError";
  constructor(readonly reference: string, readonly reason: string) {
    super(`invalid image reference ${JSON.stringify(reference)}: ${reason}`);
  }
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]{32,}$/;
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$/;

/** Parses an image reference; throws ImageReferenceError naming what is wrong. */
export function parseImageRef(text: string): ImageReference {
  if (text === "") throw new ImageReferenceError(text, "it is empty");
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new ImageReferenceError(text, `digest ${JSON.stringify(digest)} is not ALGORITHM:HEX`);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw new ImageReferenceError(text, `tag ${JSON.stringify(tag)} is not valid`);
    }
  }
  const name = rest;
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      if (!HOST.test(first)) {
        throw new ImageReferenceError(text, `registry ${JSON.stringify(first)} is not a host name`);
      }
      registry = normaliseRegistry(first);
      repository = rest.slice(slash + 1);
    }
  }
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  for (const component of repository.split("/")) {
    if (!COMPONENT.test(component)) {
      throw new ImageReferenceError(
        text,
        `repository path component ${JSON.stringify(component)} must be lower-case letters, ` +
          "digits and single separators (. _ __ -)",
      );
    }
  }
  return {
    original: text,
    registry,
    repository,
    tag,
    digest,
    canonicalName: `${registry}/${repository}`,
    name,
  };
}

/** `docker.io` and the other Docker Hub aliases become `index.docker.io`; hosts are lower-cased. */
export function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.includes(lower) ? DOCKER_HUB : lower;
}
