// known_hosts matching, as OpenSSH does it: "[host]:port" for non-22 ports, comma-separated
// patterns with * ? and ! negation, hashed entries (|1|salt|hmac-sha1), @revoked markers.
// Host keys are compared as raw key blobs.
import { createHmac } from "node:crypto";

interface KnownHost {
  marker?: string;
  patterns: string;
  keyType: string;
  key: Uint8Array;
}

function parse(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0].startsWith("@") ? fields.shift() : undefined;
    if (fields.length < 3) continue;
    try {
      out.push({ marker, patterns: fields[0], keyType: fields[1], key: decode64(fields[2]) });
    } catch {
      // a line with a broken key never matches
    }
  }
  return out;
}

function decode64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcard(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(
    /\?/g,
    ".",
  );
  return new RegExp(`^${regex}$`, "i").test(name);
}

function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith("|1|")) {
    const [, , salt, hash] = patterns.split("|");
    const mac = createHmac("sha1", decode64(salt)).update(name).digest("base64");
    return mac === hash;
  }
  let matched = false;
  for (const pattern of patterns.split(",")) {
    if (pattern.startsWith("!")) {
      if (wildcard(pattern.slice(1), name)) return false;
    } else if (wildcard(pattern, name)) matched = true;
  }
  return matched;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export type HostKeyVerdict = "trusted" | "unknown" | "mismatch" | "revoked";

/** Checks the raw host key blob the server presented against known_hosts. */
export function verifyHostKey(
  knownHosts: string,
  host: string,
  port: number,
  key: Uint8Array,
): HostKeyVerdict {
  const name = hostName(host, port);
  const entries = parse(knownHosts);
  if (entries.some((e) => e.marker === "@revoked" && equal(e.key, key))) return "revoked";
  const forHost = entries.filter((e) => !e.marker && hostMatches(e.patterns, name));
  if (forHost.some((e) => equal(e.key, key))) return "trusted";
  return forHost.length > 0 ? "mismatch" : "unknown";
}
