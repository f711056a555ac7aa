// How each Receiver type proves a request comes from its sender, as Flux's notification
// controller checks it. Every comparison of a secret value is constant-time.

export type Verdict =
  | { ok: true; event?: string }
  | { ok: false; status: number; message: string };

/** Constant-time equality: the time depends only on the lengths, never on where bytes differ. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ (b[i % (b.length || 1)] ?? 0);
  return diff === 0;
}

const enc = new TextEncoder();

export function equalText(a: string, b: string): boolean {
  return timingSafeEqual(enc.encode(a), enc.encode(b));
}

const HASHES: Record<string, string> = { sha1: "SHA-1", sha256: "SHA-256", sha512: "SHA-512" };

export async function hmacHex(algorithm: string, key: string, body: Uint8Array): Promise<string> {
  const k = await crypto.subtle.importKey(
    "raw",
    enc.encode(key),
    { name: "HMAC", hash: algorithm },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, body as Uint8Array<ArrayBuffer>));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** "<algo>=<hex>" signatures (GitHub, Bitbucket, generic-hmac). */
async function checkSignature(
  header: string | null,
  token: string,
  body: Uint8Array,
  name: string,
): Promise<Verdict> {
  if (!header) return { ok: false, status: 401, message: `missing ${name} header` };
  const eq = header.indexOf("=");
  const algo = header.slice(0, eq).toLowerCase();
  const hash = HASHES[algo];
  if (eq < 0 || !hash) {
    return { ok: false, status: 401, message: `${name}: unsupported signature format` };
  }
  const expected = await hmacHex(hash, token, body);
  if (!equalText(expected, header.slice(eq + 1).toLowerCase())) {
    return { ok: false, status: 401, message: `${name}: signature does not match` };
  }
  return { ok: true };
}

function json(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(new TextDecoder().decode(body));
    return typeof v === "object" && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyRequest(
  type: string,
  headers: Headers,
  body: Uint8Array,
  token: string,
): Promise<Verdict> {
  switch (type) {
    case "generic":
      // The generated URL itself is the secret.
      return { ok: true };
    case "generic-hmac":
      return await checkSignature(headers.get("x-signature"), token, body, "X-Signature");
    case "github": {
      const v = headers.get("x-hub-signature-256")
        ? await checkSignature(
          headers.get("x-hub-signature-256"),
          token,
          body,
          "X-Hub-Signature-256",
        )
        : await checkSignature(headers.get("x-hub-signature"), token, body, "X-Hub-Signature");
      return v.ok ? { ok: true, event: headers.get("x-github-event") ?? undefined } : v;
    }
    case "gitlab": {
      if (!equalText(headers.get("x-gitlab-token") ?? "", token)) {
        return { ok: false, status: 401, message: "X-Gitlab-Token does not match" };
      }
      return { ok: true, event: headers.get("x-gitlab-event") ?? undefined };
    }
    case "bitbucket": {
      const v = await checkSignature(
        headers.get("x-hub-signature"),
        token,
        body,
        "X-Hub-Signature",
      );
      return v.ok ? { ok: true, event: headers.get("x-event-key") ?? undefined } : v;
    }
    case "harbor":
      if (!equalText(headers.get("authorization") ?? "", token)) {
        return { ok: false, status: 401, message: "Authorization header does not match" };
      }
      return { ok: true };
    case "nexus": {
      const expected = await hmacHex("SHA-1", token, body);
      if (!equalText(expected, (headers.get("x-nexus-webhook-signature") ?? "").toLowerCase())) {
        return { ok: false, status: 401, message: "X-Nexus-Webhook-Signature does not match" };
      }
      return { ok: true };
    }
    case "dockerhub": {
      const p = json(body);
      const repo = p?.repository as Record<string, unknown> | undefined;
      if (typeof repo?.repo_url !== "string") {
        return {
          ok: false,
          status: 400,
          message: "not a Docker Hub payload (repository.repo_url missing)",
        };
      }
      return { ok: true };
    }
    case "quay": {
      if (typeof json(body)?.docker_url !== "string") {
        return { ok: false, status: 400, message: "not a Quay payload (docker_url missing)" };
      }
      return { ok: true };
    }
    case "acr": {
      const target = json(body)?.target as Record<string, unknown> | undefined;
      if (typeof target?.repository !== "string") {
        return {
          ok: false,
          status: 400,
          message: "not an ACR payload (target.repository missing)",
        };
      }
      return { ok: true };
    }
    default:
      return { ok: false, status: 400, message: `receiver type ${type} is not supported by skiff` };
  }
}
