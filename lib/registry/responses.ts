// Reading a registry's answers: bodies with a size limit, JSON that may be garbage, and HTTP
// statuses turned into RegistryErrors that say what happened and what to do.
import { ByteLimitError, readBounded } from "../bytes/mod.ts";
import { RegistryError } from "./errors.ts";

/** The body, refusing more than `maxBytes` (a registry must not exhaust our memory). */
export async function readBody(
  what: string,
  res: Response,
  url: string,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const length = Number(res.headers.get("content-length") ?? NaN);
    return await readBounded(res.body ?? new ReadableStream<Uint8Array>(), maxBytes, length);
  } catch (e) {
    if (e instanceof ByteLimitError) {
      throw new RegistryError(
        "InvalidResponse",
        `${what}: response larger than ${maxBytes} bytes`,
        { url, status: res.status },
      );
    }
    throw new RegistryError("Network", `${what}: reading the response failed: ${e}`, { url }, e);
  }
}

export async function readJson(
  what: string,
  res: Response,
  url: string,
  maxBytes: number,
): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(what, res, url, maxBytes));
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryError(
      "InvalidResponse",
      `${what}: the registry's answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
      { url, status: res.status },
    );
  }
}

/** The RegistryError for a non-2xx answer (the body is consumed for the registry's message). */
export async function statusError(
  what: string,
  res: Response,
  url: string,
  hadCredentials: boolean,
): Promise<RegistryError> {
  const detail = await errorDetail(res);
  const s = res.status;
  const details = { status: s, url };
  if (s === 401 || s === 403) {
    const hint = hadCredentials
      ? "check the credentials in spec.secretRef"
      : "no credentials were given (spec.secretRef)";
    return new RegistryError(
      "Unauthorized",
      `${what}: access denied (${s}${detail}); ${hint}`,
      details,
    );
  }
  if (s === 404) {
    return new RegistryError(
      "NotFound",
      `${what}: repository or tag not found (404${detail})`,
      details,
    );
  }
  if (s === 429) {
    const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"));
    const retry = retryAfterSeconds !== undefined ? `; retry after ${retryAfterSeconds}s` : "";
    return new RegistryError(
      "RateLimited",
      `${what}: rate limited by the registry (429${detail})${retry}`,
      {
        ...details,
        retryAfterSeconds,
      },
    );
  }
  if (s >= 500) {
    return new RegistryError("ServerError", `${what}: registry error (${s}${detail})`, details);
  }
  return new RegistryError("UnexpectedStatus", `${what}: unexpected status ${s}${detail}`, details);
}

/** `: CODE: message` from a distribution error body, or "" when there is none. */
export async function errorDetail(res: Response): Promise<string> {
  let text: string;
  try {
    text = (await res.text()).slice(0, 4096);
  } catch {
    return "";
  }
  try {
    const body = JSON.parse(text);
    const first = isRecord(body) && Array.isArray(body.errors) ? body.errors[0] : undefined;
    if (isRecord(first)) return `: ${first.code ?? ""}${first.message ? `: ${first.message}` : ""}`;
  } catch {
    // not JSON: no detail
  }
  return "";
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
