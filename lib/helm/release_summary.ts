// The release summary `helm install` / `helm status` print (NAME, LAST DEPLOYED, ..., NOTES),
// with the HOOKS/MANIFEST sections of a dry run.
import type { Hook, Manifest } from "./manifests/mod.ts";

export interface ReleaseSummary {
  name: string;
  namespace: string;
  status: "deployed" | "pending-install" | "failed" | "superseded" | "uninstalled";
  revision: number;
  lastDeployed: Date;
  hooks: Hook[];
  manifests: Manifest[];
  notes: string;
  /** Whether test hooks have run (their results are not tracked here). */
  testsRun?: boolean;
  /** Print HOOKS: and MANIFEST: (a dry run). */
  dryRun?: boolean;
  /** Replace v1 Secrets by a placeholder in the printed manifest. */
  hideSecret?: boolean;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go's "Mon Jan _2 15:04:05 2006" in UTC. */
export function formatAnsicDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${
    String(d.getUTCDate()).padStart(2, " ")
  } ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${
    pad(d.getUTCSeconds())
  } ${d.getUTCFullYear()}`;
}

export function formatReleaseSummary(r: ReleaseSummary): string {
  let out =
    `NAME: ${r.name}\nLAST DEPLOYED: ${
      formatAnsicDate(r.lastDeployed)
    }\nNAMESPACE: ${r.namespace}\n` +
    `STATUS: ${r.status}\nREVISION: ${r.revision}\n`;
  const tests = r.hooks.filter((h) => h.events.includes("test"));
  // Helm lists test hooks only once they ran; a release with unrun tests shows neither.
  if (tests.length === 0) out += "TEST SUITE: None\n";
  if (r.dryRun) {
    out += "HOOKS:\n";
    for (const h of r.hooks) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    let manifest = "";
    for (const m of r.manifests) {
      const hidden = r.hideSecret && m.kind === "Secret" && m.apiVersion.startsWith("v1");
      manifest += `---\n# Source: ${m.name}\n${
        hidden ? "# HIDDEN: The Secret output has been suppressed" : m.content
      }\n`;
    }
    out += `MANIFEST:\n${manifest}\n`;
  }
  if (r.notes.length > 0) out += `NOTES:\n${r.notes.trim()}\n`;
  return out;
}
