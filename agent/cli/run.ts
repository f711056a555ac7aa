// `skiff run --config FILE`: the agent in the foreground until SIGTERM/SIGINT. SIGHUP and edits
// of the config file reload it. On SIGTERM the runs in flight finish (long waits are aborted),
// status is kept, the Lease is released, and the process exits within 30 s.
// Logging follows Agent.spec.log, also after a reload, except what --log-level/--log-format set.
import {
  type Config,
  ConfigError,
  ConfigFileError,
  formatProblem,
  loadConfigFile,
} from "../config/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import { errorText } from "../agent.ts";
import { type RunningAgent, startAgent } from "../run.ts";

export interface RunCommandOptions {
  config: string;
  kubeconfig?: string;
  context?: string;
  address?: string;
  cacheDir?: string;
  /** Which logging flags the command line gave: those win over Agent.spec.log (default: both). */
  logFlags?: { level: boolean; format: boolean };
}

/** Stop must finish within this; after it the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 25_000;

export async function runCommand(options: RunCommandOptions, logger: Logger): Promise<number> {
  const flags = options.logFlags ?? { level: true, format: true };
  const followConfig = (config: Config) => {
    const { level, format } = config.agent.log;
    logger.reconfigure({
      level: flags.level ? undefined : level,
      format: flags.format ? undefined : format,
    });
  };
  // Read once before starting so the agent's first lines already follow Agent.spec.log; an
  // unreadable or invalid file is left to startAgent, which reports it.
  const preview = await loadConfigFile(options.config).catch(() => undefined);
  if (preview) followConfig(preview);
  let agent: RunningAgent;
  try {
    agent = await startAgent({
      configPath: options.config,
      logger,
      kubeconfig: options.kubeconfig,
      context: options.context,
      serverAddress: options.address,
      cacheDir: options.cacheDir,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(formatProblem(p));
      return 1;
    }
    if (e instanceof ConfigFileError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  logger.info("skiff agent started", {
    config: options.config,
    objects: agent.core.owned().size,
  });

  const reload = () => agent.reload().then(() => followConfig(agent.core.config)).catch(() => {});
  const onHup = () => {
    logger.info("SIGHUP: reloading the config");
    reload();
  };
  const shutdown = (signal: string) => {
    logger.info(`${signal}: shutting down`);
    const timer = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      Deno.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    Deno.unrefTimer(timer);
    agent.stop().then(() => clearTimeout(timer));
  };
  const onTerm = () => shutdown("SIGTERM");
  const onInt = () => shutdown("SIGINT");
  Deno.addSignalListener("SIGTERM", onTerm);
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGHUP", onHup);

  const watcher = watchConfig(options.config, reload, logger);
  await agent.stopped;
  watcher.close();
  Deno.removeSignalListener("SIGTERM", onTerm);
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGHUP", onHup);
  logger.info("skiff agent stopped");
  return 0;
}

/** Reloads when the config file changes (editors replace files: the directory is watched). */
function watchConfig(path: string, reload: () => void, logger: Logger): { close(): void } {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
  const base = path.slice(path.lastIndexOf("/") + 1);
  let watcher: Deno.FsWatcher;
  try {
    watcher = Deno.watchFs(dir, { recursive: false });
  } catch (e) {
    logger.warn("cannot watch the config file; reload with SIGHUP", { error: errorText(e) });
    return { close() {} };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  (async () => {
    for await (const event of watcher) {
      if (!event.paths.some((p) => p.endsWith("/" + base) || p === base)) continue;
      clearTimeout(timer);
      timer = setTimeout(() => {
        logger.info("config file changed: reloading");
        reload();
      }, 300);
    }
  })().catch(() => {});
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
