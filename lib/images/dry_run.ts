// The whole image pipeline once, without writing anything: scan every ImageRepository, select
// each ImagePolicy's latest image, and list the fields each ImageUpdateAutomation would change
// in its checkout. `skiff images --config FILE` prints this; the inputs are plain values so the
// command only has to load the config, check out the sources and print.
import type { RegistryClientOptions, RegistryCredentials } from "../registry/mod.ts";
import { compilePolicy, type ImagePolicySpec } from "./policy.ts";
import { type ImageRepositoryScanSpec, scanImageRepository } from "./scan.ts";
import { applySetters, type SetterChange, type SetterPolicy } from "./setters.ts";
import { setterPathOf, type UpdateStrategySpec } from "./update_strategy.ts";

export interface ObjectRef {
  namespace: string;
  name: string;
}

export interface DryRunRepository extends ObjectRef {
  spec: ImageRepositoryScanSpec;
  credentials?: RegistryCredentials;
  clientOptions?: RegistryClientOptions;
  /** Why it is not scanned (e.g. its credentials are not at hand): reported, not an error. */
  skip?: string;
}

export interface DryRunPolicy extends ObjectRef {
  /** spec.imageRepositoryRef, namespace filled in. */
  repository: ObjectRef;
  spec: ImagePolicySpec;
}

export interface DryRunAutomation extends ObjectRef {
  /** Where the source is checked out (at git.checkout.ref). */
  checkoutDir?: string;
  update: UpdateStrategySpec | undefined;
  /** Names of the policies it applies (spec.policySelector); default all of its namespace. */
  policies?: string[];
  /** Why there is no checkout (source unreachable, bad settings). */
  error?: string;
  /** Why it is not looked at (e.g. its Git credentials are not at hand): not an error. */
  skip?: string;
}

export interface ImagesReport {
  repositories: (ObjectRef & {
    canonicalImageName?: string;
    tagCount?: number;
    error?: string;
    skipped?: string;
  })[];
  policies: (ObjectRef & {
    latestImage?: string;
    tag?: string;
    error?: string;
    skipped?: string;
  })[];
  automations: (ObjectRef & {
    changes: SetterChange[];
    problemFiles: { file: string; reason: string }[];
    error?: string;
    skipped?: string;
  })[];
}

export async function imagesDryRun(input: {
  repositories: DryRunRepository[];
  policies: DryRunPolicy[];
  automations?: DryRunAutomation[];
}): Promise<ImagesReport> {
  const report: ImagesReport = { repositories: [], policies: [], automations: [] };
  const tagsOf = new Map<string, { image: string; tags: string[] }>();
  const skipped = new Map<string, string>();
  await Promise.all(input.repositories.map(async (repo, i) => {
    const key = `${repo.namespace}/${repo.name}`;
    if (repo.skip !== undefined) {
      skipped.set(key, repo.skip);
      report.repositories[i] = { namespace: repo.namespace, name: repo.name, skipped: repo.skip };
      return;
    }
    try {
      const scan = await scanImageRepository(repo.spec, {
        credentials: repo.credentials,
        clientOptions: repo.clientOptions,
      });
      tagsOf.set(key, { image: repo.spec.image, tags: scan.tags });
      report.repositories[i] = {
        namespace: repo.namespace,
        name: repo.name,
        canonicalImageName: scan.canonicalImageName,
        tagCount: scan.tagCount,
      };
    } catch (e) {
      report.repositories[i] = { namespace: repo.namespace, name: repo.name, error: messageOf(e) };
    }
  }));
  const latest: SetterPolicy[] = [];
  for (const policy of input.policies) {
    const entry: ImagesReport["policies"][number] = {
      namespace: policy.namespace,
      name: policy.name,
    };
    report.policies.push(entry);
    const repoKey = `${policy.repository.namespace}/${policy.repository.name}`;
    const scanned = tagsOf.get(repoKey);
    const skip = skipped.get(repoKey);
    if (skip !== undefined) {
      entry.skipped = `ImageRepository ${repoKey} was not scanned: ${skip}`;
      continue;
    }
    if (!scanned) {
      entry.error =
        `ImageRepository ${repoKey} has no tags to choose from (scan failed or missing)`;
      continue;
    }
    try {
      entry.tag = compilePolicy(policy.spec).latest(scanned.tags);
      entry.latestImage = `${scanned.image}:${entry.tag}`;
      latest.push({
        namespace: policy.namespace,
        name: policy.name,
        latestImage: entry.latestImage,
      });
    } catch (e) {
      entry.error = messageOf(e);
    }
  }
  for (const automation of input.automations ?? []) {
    const entry: ImagesReport["automations"][number] = {
      namespace: automation.namespace,
      name: automation.name,
      changes: [],
      problemFiles: [],
    };
    report.automations.push(entry);
    if (automation.skip !== undefined) {
      entry.skipped = automation.skip;
      continue;
    }
    if (automation.error !== undefined || automation.checkoutDir === undefined) {
      entry.error = automation.error ?? "no checkout of its source";
      continue;
    }
    try {
      // As in Flux, an automation applies the policies of its own namespace.
      const policies = latest.filter((p) =>
        p.namespace === automation.namespace &&
        (automation.policies === undefined || automation.policies.includes(p.name))
      );
      const result = await applySetters(automation.checkoutDir, policies, {
        path: setterPathOf(automation.update),
        dryRun: true,
      });
      entry.changes = result.changes;
      entry.problemFiles = result.problemFiles;
    } catch (e) {
      entry.error = messageOf(e);
    }
  }
  return report;
}

/** The report as people read it: one line per policy, then the would-be changes. */
export function formatImagesReport(report: ImagesReport): string {
  const lines: string[] = [];
  const rows = report.policies.map((p) => [
    `${p.namespace}/${p.name}`,
    p.latestImage ?? "-",
    p.error ? `error: ${p.error}` : p.skipped ? `skipped: ${p.skipped}` : "",
  ]);
  lines.push(...table(["POLICY", "LATEST IMAGE", "MESSAGE"], rows));
  for (const r of report.repositories.filter((r) => r.error)) {
    lines.push(`ImageRepository ${r.namespace}/${r.name}: ${r.error}`);
  }
  for (const r of report.repositories.filter((r) => r.skipped)) {
    lines.push(`ImageRepository ${r.namespace}/${r.name}: skipped: ${r.skipped}`);
  }
  for (const a of report.automations) {
    lines.push("");
    const title = `ImageUpdateAutomation ${a.namespace}/${a.name}`;
    if (a.error) {
      lines.push(`${title}: error: ${a.error}`);
      continue;
    }
    if (a.skipped) {
      lines.push(`${title}: skipped: ${a.skipped}`);
      continue;
    }
    if (a.changes.length === 0) lines.push(`${title}: no changes`);
    else lines.push(`${title}: would change ${a.changes.length} field(s)`);
    for (const c of a.changes) {
      lines.push(`  ${c.file}: ${c.field}: ${c.oldValue} -> ${c.newValue}  (${c.setter})`);
    }
    for (const p of a.problemFiles) lines.push(`  ${p.file}: skipped, not valid YAML: ${p.reason}`);
  }
  return lines.join("\n") + "\n";
}

function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("   ").trimEnd());
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
