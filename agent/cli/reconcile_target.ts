// Which object a `skiff reconcile` command line names. Every spelling a Flux user already
// types works: `flux reconcile`'s sub-commands (`kustomization NAME`, `ks NAME`, `hr NAME`,
// `source git NAME`, `source oci NAME`, `image repository NAME`...), kubectl's `kind/name` with
// a kind, plural or CRD short name (`ocirepo/apps`), and skiff's own `NAME --kind KIND`.
import { UsageError } from "./output.ts";

/** `flux reconcile source <word>`. */
const SOURCE_WORDS: Record<string, string> = {
  git: "GitRepository",
  helm: "HelmRepository",
  oci: "OCIRepository",
};

/** `flux reconcile image <word>`. */
const IMAGE_WORDS: Record<string, string> = {
  repository: "ImageRepository",
  policy: "ImagePolicy",
  update: "ImageUpdateAutomation",
};

/** The kinds the agent reconciles, sources first (as `flux get all` lists them). */
export const RECONCILED_KINDS = [
  "GitRepository",
  "OCIRepository",
  "HelmRepository",
  "Kustomization",
  "HelmRelease",
  "ImageRepository",
  "ImagePolicy",
  "ImageUpdateAutomation",
];

/** Kind words beside the kinds themselves and their plurals: flux's aliases, CRD short names. */
const KIND_WORDS: Record<string, string> = {
  ks: "Kustomization",
  hr: "HelmRelease",
  gitrepo: "GitRepository",
  ocirepo: "OCIRepository",
  oci: "OCIRepository",
  helmrepo: "HelmRepository",
};

/** Flux kinds skiff has no reconciler for, and what to do instead. */
const NOT_RECONCILED: Record<string, string> = {
  bucket: "skiff has no Bucket source (use a GitRepository or an OCIRepository)",
  chart: "skiff has no HelmChart objects: reconcile the HelmRelease with --with-source, which " +
    "pulls its chart again",
  helmchart: "skiff has no HelmChart objects: reconcile the HelmRelease with --with-source, " +
    "which pulls its chart again",
  alert: "Alerts take effect when the config loads; there is nothing to reconcile",
  "alert-provider": "Providers take effect when the config loads; there is nothing to reconcile",
  provider: "Providers take effect when the config loads; there is nothing to reconcile",
  receiver: "Receivers take effect when the config loads; there is nothing to reconcile",
};

export interface ReconcileTarget {
  kind: string;
  name: string;
}

/**
 * The object named by the command's words: `NAME` (of `defaultKind`, i.e. `--kind`),
 * `KIND/NAME`, `KIND NAME`, `source git|helm|oci NAME` or `image repository|policy|update NAME`.
 */
export function reconcileTarget(words: string[], defaultKind: string): ReconcileTarget {
  const [first, second, third, ...rest] = words;
  if (first === undefined) throw new UsageError("name the object to reconcile, e.g. `ks apps`");
  if (rest.length > 0 || (third !== undefined && !["source", "image"].includes(lower(first)))) {
    throw new UsageError(
      `too many arguments: ${words.join(" ")}; expected NAME, KIND NAME, KIND/NAME, ` +
        "source git|helm|oci NAME or image repository|policy|update NAME",
    );
  }
  if (third !== undefined) {
    const table = lower(first) === "source" ? SOURCE_WORDS : IMAGE_WORDS;
    return { kind: subKind(first, second!, table), name: third };
  }
  if (second !== undefined) return { kind: kindOf(first), name: second };
  const slash = first.indexOf("/");
  if (slash >= 0) return { kind: kindOf(first.slice(0, slash)), name: first.slice(slash + 1) };
  return { kind: kindOf(defaultKind), name: first };
}

function subKind(group: string, word: string, table: Record<string, string>): string {
  const kind = table[lower(word)];
  if (kind) return kind;
  const refused = NOT_RECONCILED[lower(word)];
  if (refused) throw new UsageError(refused);
  throw new UsageError(
    `unknown kind "${group} ${word}": expected ${group} ${Object.keys(table).join(", ")}`,
  );
}

/** A kind in any spelling: `OCIRepository`, `ocirepository`, `ocirepositories`, `ocirepo`. */
function kindOf(word: string): string {
  const w = lower(word);
  if (KIND_WORDS[w]) return KIND_WORDS[w];
  const kind = RECONCILED_KINDS.find((k) => lower(k) === w || pluralOf(lower(k)) === w);
  if (kind) return kind;
  const refused = NOT_RECONCILED[w];
  if (refused) throw new UsageError(refused);
  if (w === "source" || w === "image") {
    throw new UsageError(
      `"${word}" needs a kind: ${word} ${
        Object.keys(w === "source" ? SOURCE_WORDS : IMAGE_WORDS).join("|")
      } NAME`,
    );
  }
  throw new UsageError(
    `unknown kind "${word}": expected one of ${RECONCILED_KINDS.join(", ")} ` +
      `(or ${Object.keys(KIND_WORDS).join(", ")})`,
  );
}

function pluralOf(kind: string): string {
  return kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`;
}

function lower(word: string): string {
  return word.toLowerCase();
}
