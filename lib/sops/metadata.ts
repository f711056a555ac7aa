// The `sops` metadata section: which keys wrap the data key, which values are encrypted, and
// the MAC with the time it is sealed under. Input is the section as plain data (YAML/JSON
// section, or the un-flattened `sops_*` keys of dotenv/INI files).
import { SopsError } from "./errors.ts";

export interface AgeStanza {
  recipient: string;
  enc: string;
}

export interface PgpStanza {
  fp: string;
  enc: string;
}

/** A master key of a kind skiff cannot use (cloud KMS, Vault transit, ...). */
export interface OtherMasterKey {
  /** The metadata field: `kms`, `gcp_kms`, `azure_kv`, `hc_vault`, ... */
  type: string;
  /** ARN, resource id or URL, to name the key in errors. */
  id: string;
}

export interface KeyGroup {
  age: AgeStanza[];
  pgp: PgpStanza[];
  other: OtherMasterKey[];
}

/** Which values are encrypted; at most one rule is set (SOPS defaults to the suffix rule). */
export interface EncryptionRules {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  unencryptedCommentRegex?: string;
  encryptedCommentRegex?: string;
}

export interface SopsMetadata {
  /** `lastmodified` re-printed as Go's time.RFC3339: the MAC's additional data. */
  macAdditionalData: string;
  /** The encrypted MAC; empty when the file has none (which always fails verification). */
  mac: string;
  rules: EncryptionRules;
  macOnlyEncrypted: boolean;
  version: string;
  keyGroups: KeyGroup[];
  shamirThreshold: number;
}

export const DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

/** Metadata fields naming master keys skiff does not implement, with a readable name. */
export const OTHER_KEY_TYPES: Record<string, { label: string; idFields: string[] }> = {
  kms: { label: "AWS KMS", idFields: ["arn"] },
  gcp_kms: { label: "GCP KMS", idFields: ["resource_id"] },
  azure_kv: { label: "Azure Key Vault", idFields: ["vault_url", "name"] },
  hc_vault: { label: "HashiCorp Vault/OpenBao transit", idFields: ["vault_address", "key_name"] },
  hckms: { label: "HuaweiCloud KMS", idFields: ["key_id"] },
};

const RULE_FIELDS: Array<[keyof EncryptionRules, string]> = [
  ["unencryptedSuffix", "unencrypted_suffix"],
  ["encryptedSuffix", "encrypted_suffix"],
  ["unencryptedRegex", "unencrypted_regex"],
  ["encryptedRegex", "encrypted_regex"],
  ["unencryptedCommentRegex", "unencrypted_comment_regex"],
  ["encryptedCommentRegex", "encrypted_comment_regex"],
];

/** Reads the `sops` section; throws SopsError("metadata") naming the field at fault. */
export function parseMetadata(raw: unknown, file: string | undefined): SopsMetadata {
  const fail = (detail: string): never => {
    throw new SopsError("metadata", file, `sops metadata: ${detail}`);
  };
  if (!isRecord(raw)) return fail("expected a mapping");
  const text = (field: string): string => {
    const v = raw[field];
    if (v === undefined || v === null) return "";
    if (typeof v !== "string") fail(`${field}: expected a string`);
    return v as string;
  };

  const lastModified = text("lastmodified");
  if (!lastModified) fail("lastmodified is missing");
  const macAdditionalData = goRfc3339(lastModified);
  if (macAdditionalData === undefined) {
    fail(`lastmodified: ${JSON.stringify(lastModified)} is not an RFC 3339 time`);
  }

  const rules: EncryptionRules = {};
  for (const [prop, field] of RULE_FIELDS) {
    const v = text(field);
    if (v) rules[prop] = v;
  }
  if (Object.keys(rules).length > 1) {
    fail(`only one of ${RULE_FIELDS.map(([, f]) => f).join(", ")} may be set`);
  }
  if (Object.keys(rules).length === 0) rules.unencryptedSuffix = DEFAULT_UNENCRYPTED_SUFFIX;

  const keyGroups = readKeyGroups(raw, fail);
  const shamir = raw["shamir_threshold"];
  const shamirThreshold = shamir === undefined || shamir === null || shamir === ""
    ? 0
    : Number(shamir);
  if (!Number.isInteger(shamirThreshold) || shamirThreshold < 0) {
    fail("shamir_threshold: expected a non-negative integer");
  }

  return {
    macAdditionalData: macAdditionalData!,
    mac: text("mac"),
    rules,
    macOnlyEncrypted: readBool(raw["mac_only_encrypted"], fail),
    version: typeof raw["version"] === "string" ? raw["version"] : String(raw["version"] ?? ""),
    keyGroups,
    shamirThreshold,
  };
}

function readKeyGroups(raw: Record<string, unknown>, fail: (d: string) => never): KeyGroup[] {
  const top = readGroup(raw, "", fail);
  if (top.age.length + top.pgp.length + top.other.length > 0) return [top];
  const groups = raw["key_groups"];
  if (Array.isArray(groups) && groups.length > 0) {
    return groups.map((g, i) => {
      if (!isRecord(g)) return fail(`key_groups[${i}]: expected a mapping`);
      return readGroup(g, `key_groups[${i}].`, fail);
    });
  }
  return fail("no master keys (age, pgp, ...) are listed");
}

function readGroup(
  raw: Record<string, unknown>,
  where: string,
  fail: (d: string) => never,
): KeyGroup {
  const list = (field: string): Record<string, unknown>[] => {
    const v = raw[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return fail(`${where}${field}: expected a list`);
    return v.map((e, i) => isRecord(e) ? e : fail(`${where}${field}[${i}]: expected a mapping`));
  };
  const str = (e: Record<string, unknown>, f: string): string =>
    typeof e[f] === "string" ? e[f] as string : "";
  const group: KeyGroup = { age: [], pgp: [], other: [] };
  for (const e of list("age")) {
    group.age.push({ recipient: str(e, "recipient"), enc: str(e, "enc") });
  }
  for (const e of list("pgp")) group.pgp.push({ fp: str(e, "fp"), enc: str(e, "enc") });
  for (const [type, { idFields }] of Object.entries(OTHER_KEY_TYPES)) {
    for (const e of list(type)) {
      group.other.push({ type, id: idFields.map((f) => str(e, f)).filter(Boolean).join("/") });
    }
  }
  return group;
}

function readBool(v: unknown, fail: (d: string) => never): boolean {
  if (v === undefined || v === null || v === "") return false;
  if (typeof v === "boolean") return v;
  // Flattened stores (dotenv, INI) keep every metadata value as text.
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return fail("mac_only_encrypted: expected true or false");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Parses an RFC 3339 time and prints it as Go's time.Format(time.RFC3339) does: fractional
 * seconds dropped, a zero offset written as "Z".
 */
export function goRfc3339(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, date, hh, mm, ss, zone] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  const offset = zone === "Z" || /^[+-]00:00$/.test(zone) ? "Z" : zone;
  return `${date}T${hh}:${mm}:${ss}${offset}`;
}
