// The chart's crds/ directory, per Flux's CRD policy: Skip, Create (only those missing; Helm
// never updates CRDs) or CreateReplace (create or replace every one), then wait until the API
// serves them so the manifest's custom resources can be applied.
import type { KubeObject } from "../../kube/mod.ts";
import type { CrdFile } from "../manifests/mod.ts";
import type { ActionEnv } from "./env.ts";
import { manifestObjects } from "./manifest_objects.ts";

export type CrdPolicy = "Skip" | "Create" | "CreateReplace";

export async function installCrds(
  env: ActionEnv,
  crds: CrdFile[],
  policy: CrdPolicy,
): Promise<number> {
  if (policy === "Skip" || crds.length === 0) return 0;
  const objects: KubeObject[] = crds.flatMap((f) => manifestObjects(f.content, f.filename));
  const wanted: KubeObject[] = [];
  for (const o of objects) {
    const live = await env.client.getIfExists(o.apiVersion, o.kind, o.metadata.name ?? "");
    if (policy === "CreateReplace" || !live) wanted.push(o);
  }
  if (wanted.length === 0) return 0;
  // The apply engine applies definitions first and waits for them to be Established.
  await env.engine.applySet(wanted, undefined, { force: true });
  return wanted.length;
}
