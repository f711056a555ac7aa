// Exec credential plugins (client.authentication.k8s.io/v1 and v1beta1), as kubectl runs them:
// the command gets KUBERNETES_EXEC_INFO, prints an ExecCredential, and its answer is cached
// until expirationTimestamp or until the server rejects it with 401.
import type { Credential, CredentialSource } from "./credentials.ts";
import { bearer } from "./credentials.ts";
import { ExecCredentialError } from "../errors.ts";

export type InteractiveMode = "Never" | "IfAvailable" | "Always";

export interface ExecConfig {
  apiVersion: string;
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  interactiveMode?: InteractiveMode;
  provideClusterInfo?: boolean;
  installHint?: string;
}

export interface ExecClusterInfo {
  server: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "tls-server-name"?: string;
  "proxy-url"?: string;
}

export const EXEC_API_VERSIONS = [
  "client.authentication.k8s.io/v1",
  "client.authentication.k8s.io/v1beta1",
];

export interface ExecOptions {
  clock?: () => number;
  /** Whether a person is at a terminal to answer prompts (default: stdin is a terminal). */
  stdinIsTerminal?: boolean;
  timeoutMs?: number;
}

interface ExecStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

export function execCredentials(
  config: ExecConfig,
  cluster: ExecClusterInfo | undefined,
  options: ExecOptions = {},
): CredentialSource {
  if (!EXEC_API_VERSIONS.includes(config.apiVersion)) {
    throw new ExecCredentialError(
      config.command,
      `apiVersion '${config.apiVersion}' is not supported (use ${EXEC_API_VERSIONS.join(" or ")})`,
    );
  }
  const clock = options.clock ?? Date.now;
  let cached: { credential: Credential; expiresAt: number } | undefined;
  let running: Promise<Credential> | undefined;

  async function run(): Promise<Credential> {
    const mode = config.interactiveMode ??
      (config.apiVersion.endsWith("/v1beta1") ? "IfAvailable" : "Never");
    const terminal = options.stdinIsTerminal ?? Deno.stdin.isTerminal();
    if (mode === "Always" && !terminal) {
      throw new ExecCredentialError(
        config.command,
        "interactiveMode is Always but no terminal is attached to answer it",
      );
    }
    const interactive = mode !== "Never" && terminal;
    const info = {
      apiVersion: config.apiVersion,
      kind: "ExecCredential",
      spec: { interactive, ...(config.provideClusterInfo && cluster ? { cluster } : {}) },
    };
    const env: Record<string, string> = { KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const e of config.env ?? []) env[e.name] = e.value;

    let output: Deno.CommandOutput;
    try {
      const child = new Deno.Command(config.command, {
        args: config.args ?? [],
        env,
        stdin: interactive ? "inherit" : "null",
        stdout: "piped",
        stderr: interactive ? "inherit" : "piped",
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      output = await child.output();
    } catch (e) {
      const hint = config.installHint ? `\n${config.installHint}` : "";
      const reason = e instanceof Deno.errors.NotFound
        ? `command not found${hint}`
        : `cannot run it: ${(e as Error).message}`;
      throw new ExecCredentialError(config.command, reason);
    }
    if (!output.success) {
      const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-3).join(
        " / ",
      );
      throw new ExecCredentialError(
        config.command,
        `exited with code ${output.code}${stderr ? `: ${stderr}` : ""}`,
      );
    }
    return parseOutput(new TextDecoder().decode(output.stdout));
  }

  function parseOutput(text: string): Credential {
    let parsed: { apiVersion?: string; kind?: string; status?: ExecStatus };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ExecCredentialError(config.command, "its output is not JSON");
    }
    if (parsed.kind !== "ExecCredential") {
      throw new ExecCredentialError(
        config.command,
        `expected kind ExecCredential, got '${parsed.kind}'`,
      );
    }
    if (parsed.apiVersion !== config.apiVersion) {
      throw new ExecCredentialError(
        config.command,
        `answered apiVersion '${parsed.apiVersion}', but '${config.apiVersion}' was asked for`,
      );
    }
    const status = parsed.status ?? {};
    const hasCert = status.clientCertificateData !== undefined ||
      status.clientKeyData !== undefined;
    if (hasCert && (!status.clientCertificateData || !status.clientKeyData)) {
      throw new ExecCredentialError(
        config.command,
        "status must carry both clientCertificateData and clientKeyData, or neither",
      );
    }
    if (!status.token && !hasCert) {
      throw new ExecCredentialError(
        config.command,
        "status has neither a token nor a client certificate",
      );
    }
    const credential: Credential = {
      authorization: status.token ? bearer(status.token) : undefined,
      certPem: status.clientCertificateData,
      keyPem: status.clientKeyData,
    };
    let expiresAt = Infinity;
    if (status.expirationTimestamp) {
      expiresAt = Date.parse(status.expirationTimestamp);
      if (Number.isNaN(expiresAt)) {
        throw new ExecCredentialError(
          config.command,
          `expirationTimestamp '${status.expirationTimestamp}' is not an RFC 3339 time`,
        );
      }
    }
    cached = { credential, expiresAt };
    return credential;
  }

  return {
    get(): Promise<Credential> {
      if (cached && clock() < cached.expiresAt) return Promise.resolve(cached.credential);
      // Concurrent requests share one run of the plugin.
      running ??= run().finally(() => running = undefined);
      return running;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
