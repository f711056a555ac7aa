// Answering a registry's 401 challenge the way Docker does: Basic with the credentials, or
// Bearer with a token from the challenge's realm (GET with Basic credentials, or POST of an
// OAuth2 refresh token for `identitytoken` logins such as ACR's), scoped to the repository.
import type { RegistryCredentials } from "./credentials.ts";
import { RegistryError } from "./errors.ts";
import { errorDetail, isRecord } from "./responses.ts";
import type { Challenge } from "./www_authenticate.ts";

/** An Authorization header and when it stops being good (ms since the epoch). */
export interface Grant {
  header: string;
  expires: number;
}

export interface AuthorizeContext {
  /** Names the image in messages. */
  what: string;
  repository: string;
  userAgent: string;
  /** fetch with the client's TLS settings, deadline and network-error mapping. */
  send(url: string, init: RequestInit): Promise<Response>;
  readJson(res: Response, url: string): Promise<unknown>;
}

const FOREVER = Number.MAX_SAFE_INTEGER;

export async function authorize(
  ctx: AuthorizeContext,
  challenge: Challenge | undefined,
  credentials: RegistryCredentials | undefined,
): Promise<Grant> {
  if (credentials?.registryToken) {
    return { header: `Bearer ${credentials.registryToken}`, expires: FOREVER };
  }
  if (challenge?.scheme === "basic") {
    if (credentials?.username === undefined) {
      throw new RegistryError(
        "Unauthorized",
        `${ctx.what}: the registry requires a user name and password ` +
          "(set spec.secretRef to a kubernetes.io/dockerconfigjson Secret)",
        { status: 401 },
      );
    }
    return {
      header: basicAuthorization(credentials.username, credentials.password ?? ""),
      expires: FOREVER,
    };
  }
  if (challenge?.scheme === "bearer" && challenge.params.realm) {
    return await fetchToken(ctx, challenge, credentials);
  }
  throw new RegistryError(
    "Unauthorized",
    `${ctx.what}: the registry answered 401 without a usable WWW-Authenticate challenge`,
    { status: 401 },
  );
}

export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

async function fetchToken(
  ctx: AuthorizeContext,
  challenge: Challenge,
  credentials: RegistryCredentials | undefined,
): Promise<Grant> {
  const realm = new URL(challenge.params.realm);
  const service = challenge.params.service;
  const scope = challenge.params.scope ?? `repository:${ctx.repository}:pull`;
  const headers = new Headers({ "user-agent": ctx.userAgent });
  let init: RequestInit;
  if (credentials?.identityToken) {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: credentials.identityToken,
      client_id: "skiff",
      scope,
    });
    if (service) form.set("service", service);
    headers.set("content-type", "application/x-www-form-urlencoded");
    init = { method: "POST", headers, body: form.toString() };
  } else {
    if (service) realm.searchParams.set("service", service);
    realm.searchParams.set("scope", scope);
    if (credentials?.username !== undefined) {
      headers.set(
        "authorization",
        basicAuthorization(credentials.username, credentials.password ?? ""),
      );
    }
    init = { method: "GET", headers };
  }
  const url = realm.toString();
  const res = await ctx.send(url, init);
  if (!res.ok) {
    const detail = await errorDetail(res);
    throw new RegistryError(
      res.status === 401 || res.status === 403 ? "Unauthorized" : "UnexpectedStatus",
      `${ctx.what}: the token service ${realm.origin}${realm.pathname} refused a token ` +
        `(${res.status}${detail})` +
        (credentials ? "" : "; no credentials were given (spec.secretRef)"),
      { status: res.status, url },
    );
  }
  const body = await ctx.readJson(res, url);
  const token = isRecord(body) ? body.token ?? body.access_token : undefined;
  if (typeof token !== "string" || token === "") {
    throw new RegistryError(
      "InvalidResponse",
      `${ctx.what}: the token service's answer has no "token"`,
      { url },
    );
  }
  const expiresIn = isRecord(body) && typeof body.expires_in === "number" ? body.expires_in : 60;
  // Renew a little early so a token does not expire between pages.
  return { header: `Bearer ${token}`, expires: Date.now() + Math.max(0, expiresIn - 5) * 1000 };
}
