// No Secret value reaches the page. Config documents name Secrets (secretRef) but may also
// carry values inline (HelmRelease values, postBuild.substitute, URLs with credentials), and
// error messages may quote a URL: both pass through here before they are rendered.
import { stringify } from "yaml";

export const MASK = "********";

/** Keys whose scalar values are credentials wherever they appear. */
const SENSITIVE_KEY =
  /pass(word|wd|phrase)?$|secret(?!ref)|token|api[-_]?key|private[-_]?key|credentials?$|^auth$|^(client)?cert(ificate)?[-_]?key$/i;

/** `scheme://user:password@host` → the password masked. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi;

export type TextRedactor = (text: string) => string;

/** Masks credentials in URLs, then whatever the agent knows to be secret (the logger's registry). */
export function redactText(text: string, known?: TextRedactor): string {
  const masked = text.replace(URL_USERINFO, `$1${MASK}@`);
  return known ? known(masked) : masked;
}

/** A copy of a document with the values of credential-like keys masked. */
export function redactDocument(value: unknown, known?: TextRedactor, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => redactDocument(v, known, key));
  if (value !== null && typeof value === "object") {
    // An inline Secret (in chart values, say): every data value goes.
    const obj = value as Record<string, unknown>;
    const isSecret = obj.kind === "Secret";
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [
        k,
        isSecret && (k === "data" || k === "stringData") ? maskAll(v) : redactDocument(v, known, k),
      ]),
    );
  }
  // Booleans (passCredentials: true) say nothing about a credential.
  if (SENSITIVE_KEY.test(key) && (typeof value === "string" || typeof value === "number")) {
    return MASK;
  }
  return typeof value === "string" ? redactText(value, known) : value;
}

function maskAll(value: unknown): unknown {
  if (value === null || typeof value !== "object") return MASK;
  return Object.fromEntries(Object.keys(value).map((k) => [k, MASK]));
}

/** The document as YAML, redacted. */
export function configYaml(document: Record<string, unknown>, known?: TextRedactor): string {
  return stringify(redactDocument(document, known), { lineWidth: 0 });
}
