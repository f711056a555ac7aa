// The per-object diff `skiff diff` prints: live and desired objects as YAML without server
// fields, as a unified diff, with every Secret value masked so a diff never leaks one.
import { YAML } from "../../yaml/mod.ts";
import { describeObject, type KubeObject } from "../types.ts";
import { unifiedDiff } from "./unified.ts";
import { withoutServerFields } from "./server_fields.ts";

export const SECRET_MASK = "<masked>";
const CHANGED_BEFORE = "<masked, old value>";
const CHANGED_AFTER = "<masked, new value>";

/**
 * A unified diff from `live` (undefined: the object is new) to `desired` (undefined: it will
 * be deleted). Returns "" when they do not differ.
 */
export function renderDiff(live: KubeObject | undefined, desired: KubeObject | undefined): string {
  const subject = desired ?? live;
  if (!subject) return "";
  let before = live ? withoutServerFields(live) : undefined;
  let after = desired ? withoutServerFields(desired) : undefined;
  if (subject.kind === "Secret" && subject.apiVersion === "v1") {
    [before, after] = maskSecrets(before, after);
  }
  const name = describeObject(subject);
  return unifiedDiff(toYaml(before), toYaml(after), {
    from: live ? `live/${name}` : "/dev/null",
    to: desired ? `desired/${name}` : "/dev/null",
  });
}

function toYaml(obj: KubeObject | undefined): string {
  return obj ? YAML.stringify(obj, { sortMapEntries: true, lineWidth: 0 }) : "";
}

/**
 * Replaces every value under data and stringData. A key that keeps its value shows the same
 * mask on both sides; a changed key shows different masks, so the diff says *that* it changed.
 */
function maskSecrets(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): [KubeObject | undefined, KubeObject | undefined] {
  const fields = ["data", "stringData"] as const;
  const b = before ? { ...before } : undefined;
  const a = after ? { ...after } : undefined;
  for (const field of fields) {
    const bv = (before?.[field] ?? undefined) as Record<string, unknown> | undefined;
    const av = (after?.[field] ?? undefined) as Record<string, unknown> | undefined;
    if (b && bv) {
      b[field] = Object.fromEntries(
        Object.keys(bv).map((
          k,
        ) => [k, av && k in av && av[k] === bv[k] ? SECRET_MASK : CHANGED_BEFORE]),
      );
    }
    if (a && av) {
      a[field] = Object.fromEntries(
        Object.keys(av).map((
          k,
        ) => [k, bv && k in bv && bv[k] === av[k] ? SECRET_MASK : CHANGED_AFTER]),
      );
    }
  }
  // The last-applied annotation of kubectl would carry the values in clear text.
  for (const obj of [b, a]) {
    const annotations = obj?.metadata.annotations;
    if (annotations?.["kubectl.kubernetes.io/last-applied-configuration"]) {
      obj!.metadata = {
        ...obj!.metadata,
        annotations: {
          ...annotations,
          "kubectl.kubernetes.io/last-applied-configuration": SECRET_MASK,
        },
      };
    }
  }
  return [b, a];
}
