// `skiff uninstall`: remove what bootstrap installed, after a confirmation (unless --yes).
// Workloads skiff applied stay in place unless --prune. Git is left as it is.
import { parseDurationMillis } from "../../lib/duration/mod.ts";
import { KubeConnectionError } from "../../lib/kube/mod.ts";
import { uninstall } from "../bootstrap/mod.ts";
import { clientFor } from "./bootstrap.ts";
import { CommandError, UsageError } from "./output.ts";

export interface UninstallCommandOptions {
  namespace: string;
  prune: boolean;
  yes: boolean;
  kubeconfig?: string;
  context?: string;
  timeout: string;
}

/** Asks on the terminal; anything but y/yes (or no answer at all) is a no. */
export async function askOnStdin(question: string): Promise<boolean> {
  await Deno.stdout.write(new TextEncoder().encode(`${question} [y/N] `));
  const buffer = new Uint8Array(256);
  const n = await Deno.stdin.read(buffer);
  const answer = n === null ? "" : new TextDecoder().decode(buffer.subarray(0, n)).trim();
  return /^y(es)?$/i.test(answer);
}

export async function uninstallCommand(
  options: UninstallCommandOptions,
  confirm: (question: string) => Promise<boolean> = askOnStdin,
): Promise<number> {
  let timeoutMs: number;
  try {
    timeoutMs = parseDurationMillis(options.timeout);
  } catch {
    throw new UsageError(`--timeout ${options.timeout}: expected a duration such as 2m`);
  }
  const what = options.prune
    ? `skiff and every object it applied`
    : `skiff (the objects it applied stay in place)`;
  if (!options.yes && !await confirm(`Delete ${what} from namespace ${options.namespace}?`)) {
    console.log("uninstall cancelled; nothing was deleted");
    return 1;
  }
  const client = await clientFor(options, "skiff-uninstall");
  try {
    const result = await uninstall(client, {
      namespace: options.namespace,
      prune: options.prune,
      timeoutMs,
      progress: (line) => console.log(line),
    });
    if (result.kept.length > 0) {
      console.log(`left in place (no longer managed): ${result.kept.length} object(s)`);
    }
    if (result.pruned.length > 0) console.log(`pruned ${result.pruned.length} object(s)`);
    console.log(
      result.deleted.length > 0
        ? "uninstall finished"
        : `nothing to delete: skiff is not installed in namespace ${options.namespace}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof KubeConnectionError) {
      throw new CommandError(`${e.message}; check --kubeconfig / --context`, 1);
    }
    throw e;
  } finally {
    client.transport.close();
  }
}
