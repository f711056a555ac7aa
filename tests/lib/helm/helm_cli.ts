// A stand-in for the `helm` command line over lib/helm, for Helm's golden cases: it reads the
// argument list a golden was produced with and returns what helm printed (stdout, or
// "Error: ..." on failure).
import { formatReleaseSummary } from "../../../lib/helm/release_summary.ts";
import { loadChart } from "../../../lib/helm/chart/mod.ts";
import { mergeValues } from "../../../lib/helm/values/mod.ts";
import { renderChart } from "../../../lib/helm/render_chart.ts";
import {
  helmTemplate,
  HelmTemplateError,
  renderNameTemplate,
} from "../../../lib/helm/template_command.ts";

/** Splits a shell command line (single and double quotes, no expansions). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && j + 1 < line.length) j++;
        cur += line[j];
      }
      i = j;
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

interface Parsed {
  command: string;
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set([
  "--include-crds",
  "--skip-tests",
  "--debug",
  "--no-hooks",
  "--dry-run",
  "--hide-secret",
  "--skip-schema-validation",
]);
const ALIASES: Record<string, string> = {
  "-f": "--values",
  "-s": "--show-only",
  "-n": "--namespace",
};

function parseArgs(words: string[]): Parsed {
  const [command, ...rest] = words;
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    let w = rest[i];
    if (!w.startsWith("-")) {
      positional.push(w);
      continue;
    }
    let value: string | undefined;
    const eq = w.indexOf("=");
    if (eq !== -1) {
      value = w.slice(eq + 1);
      w = w.slice(0, eq);
    }
    w = ALIASES[w] ?? w;
    if (BOOLEAN_FLAGS.has(w)) value = value ?? "true";
    else value = value ?? rest[++i];
    flags.set(w, [...(flags.get(w) ?? []), value]);
  }
  return { command, positional, flags };
}

const FROZEN = new Date(Date.UTC(1977, 8, 2, 22, 4, 5));

/** Runs a `helm template` or `helm install` command line against charts under `base`. */
export async function runHelm(commandLine: string, base: string): Promise<string> {
  const { command, positional, flags } = parseArgs(shellWords(commandLine));
  const resolve = (p: string) => (p.startsWith("/") ? p : `${base}/${p}`);
  const readFile = (p: string) => Deno.readTextFileSync(resolve(p));
  const one = (f: string) => flags.get(f)?.at(-1);
  const all = (f: string) => flags.get(f) ?? [];
  if (command === "template") {
    if (positional.length === 0) {
      return 'Error: "helm template" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]\n';
    }
    const chart = positional.length === 1 ? positional[0] : positional[1];
    const name = positional.length === 1 ? undefined : positional[0];
    try {
      return await helmTemplate({
        chart: resolve(chart),
        releaseName: name,
        nameTemplate: one("--name-template"),
        namespace: one("--namespace"),
        valueFiles: all("--values"),
        values: all("--set"),
        stringValues: all("--set-string"),
        jsonValues: all("--set-json"),
        fileValues: all("--set-file"),
        kubeVersion: one("--kube-version"),
        apiVersions: all("--api-versions"),
        includeCrds: flags.has("--include-crds"),
        showOnly: all("--show-only"),
        skipTests: flags.has("--skip-tests"),
        noHooks: flags.has("--no-hooks"),
        skipSchemaValidation: flags.has("--skip-schema-validation"),
        debug: flags.has("--debug"),
        readFile,
      });
    } catch (e) {
      const partial = e instanceof HelmTemplateError ? e.partialOutput : "";
      return `${partial}Error: ${(e as Error).message}\n`;
    }
  }
  if (command === "install") {
    try {
      const nameTemplate = one("--name-template");
      const chartPath = nameTemplate ? positional[0] : positional[1];
      let name = positional[0];
      if (nameTemplate) name = renderNameTemplate(nameTemplate);
      const dryRun = flags.has("--dry-run");
      if (flags.has("--hide-secret") && !dryRun) {
        throw new Error("Hiding Kubernetes secrets requires a dry-run mode");
      }
      const values = mergeValues({
        files: all("--values").map((path) => ({ path, text: readFile(path) })),
        values: all("--set"),
        stringValues: all("--set-string"),
        jsonValues: all("--set-json"),
        fileValues: all("--set-file"),
        readFile,
      });
      const chart = await loadChart(resolve(chartPath));
      const namespace = one("--namespace") ?? "default";
      const r = renderChart(chart, values, {
        releaseName: name,
        namespace,
        skipSchemaValidation: flags.has("--skip-schema-validation"),
      });
      return formatReleaseSummary({
        name,
        namespace,
        status: dryRun ? "pending-install" : "deployed",
        revision: 1,
        lastDeployed: FROZEN,
        hooks: flags.has("--no-hooks") ? [] : r.hooks,
        manifests: r.manifests,
        notes: r.notes,
        dryRun,
        hideSecret: flags.has("--hide-secret"),
      });
    } catch (e) {
      return `Error: INSTALLATION FAILED: ${(e as Error).message}\n`;
    }
  }
  throw new Error(`unsupported helm command: ${command}`);
}
