// What `helm template` prints: CRDs (with --include-crds), the manifests in install order, then
// the hooks, each as "---\n# Source: <path>\n<document>\n"; --show-only picks documents by path.
import { pathMatch } from "../chart/path_match.ts";
import { splitManifests } from "./split.ts";
import type { CrdFile, Hook, Manifest } from "./types.ts";

export interface TemplateOutputOptions {
  includeCrds?: boolean;
  skipTests?: boolean;
  /** --no-hooks */
  noHooks?: boolean;
  /** --show-only paths or globs, relative to the chart root (e.g. "templates/service.yaml"). */
  showOnly?: string[];
}

export interface RenderedRelease {
  manifests: Manifest[];
  hooks: Hook[];
  crds: CrdFile[];
}

export class ShowOnlyError extends Error {
  override readonly name = "ShowOnlyError";
  constructor(readonly template: string) {
    super(`could not find template ${template} in chart`);
  }
}

function section(path: string, content: string): string {
  return `---\n# Source: ${path}\n${content}\n`;
}

/** The release manifest as Helm stores it: CRDs when asked, then every manifest. */
export function releaseManifest(r: RenderedRelease, includeCrds: boolean): string {
  let out = "";
  if (includeCrds) { for (const crd of r.crds) out += section(crd.filename, crd.content); }
  for (const m of r.manifests) out += section(m.name, m.content);
  return out;
}

export function isTestHook(h: Hook): boolean {
  return h.events.includes("test");
}

const SOURCE = /# Source: [^/]+\/(.+)/;

/** Formats a rendered chart exactly as `helm template` writes it to stdout. */
export function formatTemplateOutput(
  r: RenderedRelease,
  options: TemplateOutputOptions = {},
): string {
  let all = releaseManifest(r, options.includeCrds === true).trim() + "\n";
  if (!options.noHooks) {
    for (const h of r.hooks) {
      if (options.skipTests && isTestHook(h)) continue;
      all += section(h.path, h.manifest);
    }
  }
  const showOnly = options.showOnly ?? [];
  if (showOnly.length === 0) return all;
  const docs = splitManifests(all);
  const picked: string[] = [];
  for (const raw of showOnly) {
    const wanted = raw.replaceAll("\\", "/");
    let missing = true;
    for (const doc of docs) {
      const m = SOURCE.exec(doc);
      if (!m) continue;
      if (!pathMatch(wanted, m[1])) continue;
      picked.push(doc);
      missing = false;
    }
    if (missing) throw new ShowOnlyError(raw);
  }
  return picked.map((d) => `---\n${d}\n`).join("");
}
