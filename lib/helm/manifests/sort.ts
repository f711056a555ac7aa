// Helm's SortManifests: rendered files in path order, split into documents, hooks set apart
// (`helm.sh/hook`), then both lists sorted by kind in install order.
import { parseHead } from "./head.ts";
import { sortByKind } from "./order.ts";
import { splitManifests } from "./split.ts";
import type { Hook, HookEvent, Manifest } from "./types.ts";

export const HOOK_ANNOTATION = "helm.sh/hook";
export const HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight";
export const HOOK_DELETE_ANNOTATION = "helm.sh/hook-delete-policy";

const EVENTS: Record<string, HookEvent> = {
  "pre-install": "pre-install",
  "post-install": "post-install",
  "pre-delete": "pre-delete",
  "post-delete": "post-delete",
  "pre-upgrade": "pre-upgrade",
  "post-upgrade": "post-upgrade",
  "pre-rollback": "pre-rollback",
  "post-rollback": "post-rollback",
  "test": "test",
  "test-success": "test",
};

/** Go's strconv.Atoi, 0 when it fails (Helm's hook weight default). */
function weightOf(text: string | undefined): number {
  if (text === undefined || !/^[+-]?[0-9]+$/.test(text)) return 0;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : 0;
}

export interface SortedManifests {
  manifests: Manifest[];
  hooks: Hook[];
}

/** Sorts rendered files (template path → text). Partials and blank files are skipped. */
export function sortManifests(
  files: Map<string, string>,
  warn: (m: string) => void = () => {},
): SortedManifests {
  const manifests: Manifest[] = [];
  const hooks: Hook[] = [];
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    const content = files.get(path)!;
    if (path.slice(path.lastIndexOf("/") + 1).startsWith("_")) continue;
    if (content.trim() === "") continue;
    for (const doc of splitManifests(content)) {
      const head = parseHead(doc, path);
      const hookTypes = head.annotations?.[HOOK_ANNOTATION];
      if (hookTypes === undefined) {
        manifests.push({
          name: path,
          content: doc,
          kind: head.kind,
          apiVersion: head.apiVersion,
          metadataName: head.name,
        });
        continue;
      }
      const events: HookEvent[] = [];
      let unknown = false;
      for (const t of hookTypes.split(",")) {
        const e = EVENTS[t.trim().toLowerCase()];
        if (!e) {
          unknown = true;
          break;
        }
        events.push(e);
      }
      if (unknown) {
        warn(`info: skipping unknown hook: ${JSON.stringify(hookTypes)}`);
        continue;
      }
      const deletePolicies: string[] = [];
      const policies = head.annotations?.[HOOK_DELETE_ANNOTATION];
      if (policies !== undefined) {
        for (const p of policies.split(",")) deletePolicies.push(p.trim().toLowerCase());
      }
      hooks.push({
        name: head.name,
        kind: head.kind,
        path,
        manifest: doc,
        events,
        weight: weightOf(head.annotations?.[HOOK_WEIGHT_ANNOTATION]),
        deletePolicies,
      });
    }
  }
  return {
    manifests: sortByKind(manifests, (m) => m.kind),
    hooks: sortByKind(hooks, (h) => h.kind),
  };
}
