// `skiff diff --config FILE [NAME]`: fetch and render exactly as the agent would (Kustomizations
// and HelmReleases), server-side dry-run every object against the cluster, and print per object
// created | configured | unchanged | pruned, with a unified diff for configured ones (Secret
// values masked).
// Never writes: every request is a read or a dry run. Exit 0 in sync, 1 drift, 2 error.
import {
  ConfigError,
  ConfigFileError,
  type FluxObject,
  formatProblem,
  loadConfigFile,
} from "../config/mod.ts";
import { type Change, type ChangeSet, KubeClient, loadKubeConfig } from "../../lib/kube/mod.ts";
import { chartSourceKey, diffHelmRelease, helmReleaseLabels } from "../helmrelease/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import type { Keyring } from "../../lib/sops/mod.ts";
import { AgentCore, errorText } from "../agent.ts";
import { defaultCacheDir } from "../cache_dir.ts";
import { InventoryStore } from "../inventory/mod.ts";
import {
  decryptorFor,
  gitRepositoryReconciler,
  ociRepositoryReconciler,
  ownerLabelsOf,
  postBuildVars,
  sourceKeyOf,
} from "../reconcile/mod.ts";
import { renderKustomization } from "../render/mod.ts";
import { formatData, type OutputFormat, palette } from "./output.ts";

export interface DiffOptions {
  config: string;
  name?: string;
  kubeconfig?: string;
  context?: string;
  cacheDir?: string;
  /** Age identity or armored OpenPGP key files (`--decryption-key`), for spec.decryption. */
  decryptionKeys?: string[];
  output: OutputFormat;
}

const LABEL: Record<string, string> = {
  created: "created",
  configured: "configured",
  unchanged: "unchanged",
  deleted: "pruned",
  skipped: "skipped",
};

export async function diffCommand(options: DiffOptions, logger: Logger): Promise<number> {
  let config;
  try {
    config = await loadConfigFile(options.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(formatProblem(p));
      return 2;
    }
    if (e instanceof ConfigFileError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const named = (o: FluxObject) =>
    !options.name || o.metadata.name === options.name ||
    `${o.metadata.namespace}/${o.metadata.name}` === options.name;
  const targets = [...config.kustomizations.filter(named), ...config.helmReleases.filter(named)];
  if (targets.length === 0) {
    console.error(
      `error: ${
        options.name
          ? `no Kustomization or HelmRelease named "${options.name}"`
          : "no Kustomization or HelmRelease"
      } in ${options.config}`,
    );
    return 2;
  }
  const cluster = await loadKubeConfig({
    kubeconfig: options.kubeconfig ?? config.agent.cluster.kubeconfig,
    context: options.context ?? config.agent.cluster.context,
    inCluster: options.kubeconfig ? false : config.agent.cluster.inCluster,
  });
  let offlineKeys: Keyring | undefined;
  try {
    offlineKeys = await readKeyFiles(options.decryptionKeys ?? [], logger);
  } catch (e) {
    console.error(`error: ${errorText(e)}`);
    return 2;
  }
  const client = new KubeClient(cluster, { userAgent: "skiff-diff" });
  const cacheDir = options.cacheDir ?? config.agent.cacheDir ?? defaultCacheDir();
  const core = new AgentCore({ config, client, logger, cacheDir });
  const colors = palette(Deno.stdout);
  let drift = false;
  let failed = false;
  const report: {
    kustomization?: string;
    helmRelease?: string;
    changes: { object: string; action: string; diff?: string }[];
  }[] = [];
  // A Git source is fetched once, as the agent would, for whatever renders from it.
  const fetchGitSource = async (
    key: string,
    ref: { kind: string; namespace?: string; name: string },
    ns: string,
  ) => {
    if (core.artifacts.get(key)) return;
    const run = { reason: "diff", force: true };
    const repo = ref.kind === "GitRepository"
      ? config.get("GitRepository", ref.namespace ?? ns, ref.name)
      : undefined;
    const oci = ref.kind === "OCIRepository"
      ? config.get("OCIRepository", ref.namespace ?? ns, ref.name)
      : undefined;
    if (!repo && !oci) throw new Error(`${ref.kind} sources are not supported by skiff diff yet`);
    const outcome = repo
      ? await gitRepositoryReconciler.reconcile(repo, core.env, run)
      : await ociRepositoryReconciler.reconcile(oci!, core.env, run);
    if (outcome.ready !== "True") throw new Error(outcome.message);
  };
  const show = (title: string, changes: ChangeSet) => {
    if (changes.changed) drift = true;
    if (options.output === "table") {
      console.log(colors.bold(`► ${title}`));
      for (const c of changes.changes) printChange(c, colors);
    }
    return changes.changes.map((c) => ({
      object: describe(c),
      action: LABEL[c.action],
      diff: c.diff,
    }));
  };
  try {
    for (const target of targets) {
      const name = `${target.metadata.namespace}/${target.metadata.name}`;
      try {
        if (target.kind === "HelmRelease") {
          const hr = target;
          const ref = hr.spec.chartRef ?? hr.spec.chart!.spec.sourceRef;
          if (ref.kind === "GitRepository") {
            await fetchGitSource(chartSourceKey(hr), ref, hr.metadata.namespace);
          }
          const result = await diffHelmRelease(hr, core.env, helmReleaseLabels(hr));
          const at = result.currentVersion === undefined
            ? "not installed"
            : `installed as revision ${result.currentVersion}`;
          const title = `HelmRelease ${name} (${result.chart}; ${at})`;
          report.push({ helmRelease: name, changes: show(title, result.changes) });
          continue;
        }
        const k = target;
        const sourceKey = sourceKeyOf(k);
        await fetchGitSource(sourceKey, k.spec.sourceRef, k.metadata.namespace);
        const artifact = core.artifacts.require(sourceKey);
        const rendered = await renderKustomization(artifact, k.spec, {
          vars: await postBuildVars(k, client, logger.secrets),
          decryptor: await decryptorFor(k, client, logger.secrets, offlineKeys),
        });
        const stored = await new InventoryStore(client, config.agent.namespace).load(
          k.metadata.namespace,
          k.metadata.name,
        );
        const changes = await core.engine.applySet(rendered.objects, stored?.inventory, {
          ownerLabels: ownerLabelsOf(k),
          prune: k.spec.prune,
          force: k.spec.force,
          dryRun: true,
          diff: true,
          serviceAccount: k.spec.serviceAccountName
            ? { name: k.spec.serviceAccountName, namespace: k.metadata.namespace }
            : undefined,
        });
        const title = `Kustomization ${name} (${artifact.revision})`;
        report.push({ kustomization: name, changes: show(title, changes) });
      } catch (e) {
        failed = true;
        console.error(`${colors.red("✗")} ${target.kind} ${name}: ${errorText(e)}`);
      }
    }
  } finally {
    client.transport.close();
  }
  if (options.output !== "table") {
    Deno.stdout.writeSync(new TextEncoder().encode(formatData(report, options.output)));
  }
  return failed ? 2 : drift ? 1 : 0;
}

/** `--decryption-key` files as one keyring; the key material is masked in every output. */
async function readKeyFiles(files: string[], logger: Logger): Promise<Keyring | undefined> {
  if (files.length === 0) return undefined;
  const { Keyring } = await import("../../lib/sops/mod.ts");
  let keyring = Keyring.empty();
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      throw new Error(`--decryption-key ${file}: ${errorText(e)}`);
    }
    logger.secrets.add(text.trim());
    for (const line of text.split("\n")) {
      if (line.startsWith("AGE-SECRET-KEY-")) logger.secrets.add(line.trim());
    }
    keyring = keyring.merge(await Keyring.fromKeyFile(text, file));
  }
  return keyring;
}

function describe(c: Change): string {
  return `${c.id.kind}/${c.id.namespace ? c.id.namespace + "/" : ""}${c.id.name}`;
}

function printChange(c: Change, colors: ReturnType<typeof palette>): void {
  const label = LABEL[c.action];
  const mark = c.action === "created"
    ? colors.green("+")
    : c.action === "deleted"
    ? colors.red("-")
    : c.action === "configured"
    ? colors.yellow("~")
    : " ";
  console.log(`${mark} ${describe(c)} ${label}`);
  if (c.action === "configured" && c.diff) {
    for (const line of c.diff.trimEnd().split("\n")) {
      const colored = line.startsWith("+") && !line.startsWith("+++")
        ? colors.green(line)
        : line.startsWith("-") && !line.startsWith("---")
        ? colors.red(line)
        : colors.dim(line);
      console.log(`    ${colored}`);
    }
  }
}
