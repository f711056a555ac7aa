// bench/events: notifications per second through agent/events.
//   recorder   EventRecorder fed reconcile outcomes (each a new revision, so none is
//              deduplicated) as fast as they come: per event a Kubernetes Event created in the
//              API emulator, the Provider's Secrets read from it, the request built and sent;
//              all in flight at once, as the agent's recorder sends them
//   sendEvent  the same deliveries one after another through sendEvent with attempts: 1
//              (retries off; the receivers never fail, so the recorder's retries never run)
//   reference  plain fetch of the same request bodies to the same receiver, one after another
// to a local generic webhook (HTTP) and a local GitHub Enterprise commit-status API (HTTPS,
// trusted through certSecretRef; each event first checks the commit's statuses, then POSTs).
// The emulator and the receivers run in this process. Usage: deno task bench events
// (BENCH_EVENTS changes the number of events per case.)
import type { AgentCore, OutcomeListener } from "../../agent/agent.ts";
import { loadConfigText } from "../../agent/config/mod.ts";
import { EventRecorder, providerSecretOf, sendEvent } from "../../agent/events/mod.ts";
import type { AgentEvent } from "../../agent/events/mod.ts";
import type { Outcome } from "../../agent/reconcile/mod.ts";
import { KubeClient, loadKubeConfig } from "../../lib/kube/mod.ts";
import { Logger } from "../../lib/log/mod.ts";
import { startApiServer } from "../../tests/apiserver/mod.ts";
import { type Endpoint, startGithub, startWebhook } from "./endpoints.ts";

const EVENTS = Number(Deno.env.get("BENCH_EVENTS") ?? 500);

const config = (webhook: string, github: string) =>
  loadConfigText(
    `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: hook, namespace: flux-system}
spec: {type: generic, address: "${webhook}"}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: hook, namespace: flux-system}
spec:
  providerRef: {name: hook}
  eventSources: [{kind: Kustomization, name: hooked}]
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: github, namespace: flux-system}
spec:
  type: github
  address: ${github}
  secretRef: {name: github-token}
  certSecretRef: {name: github-ca}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: github, namespace: flux-system}
spec:
  providerRef: {name: github}
  eventSources: [{kind: Kustomization, name: statused}]
`,
    "bench-events.yaml",
  );

const sha = (i: number) => i.toString(16).padStart(40, "0");

function outcome(i: number): Outcome {
  return {
    ready: "True",
    reason: "ReconciliationSucceeded",
    message: `Applied revision: main@sha1:${sha(i)}`,
    revision: `main@sha1:${sha(i)}`,
    applied: true,
  };
}

function event(name: string, i: number): AgentEvent {
  return {
    involvedObject: { kind: "Kustomization", namespace: "flux-system", name },
    severity: "info",
    reason: "ReconciliationSucceeded",
    message: `Applied revision: main@sha1:${sha(i)}`,
    timestamp: new Date().toISOString(),
    metadata: { revision: `main@sha1:${sha(i)}` },
    reportingController: "skiff",
    reportingInstance: "bench",
  };
}

async function rate(endpoint: Endpoint, fn: () => Promise<void>): Promise<number> {
  const before = endpoint.received();
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  const delivered = endpoint.received() - before;
  if (delivered !== EVENTS) throw new Error(`${delivered} of ${EVENTS} events delivered`);
  return EVENTS / seconds;
}

async function main(dir: string): Promise<void> {
  const api = await startApiServer({ simulatePods: false });
  const webhook = startWebhook();
  const github = await startGithub(dir);
  try {
    const base64 = (text: string) => btoa(text);
    api.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "flux-system" } });
    for (
      const [name, data] of Object.entries({
        "github-token": { token: "t" },
        "github-ca": { "ca.crt": github.caCert },
      })
    ) {
      api.store.create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace: "flux-system" },
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)])),
      });
    }
    const client = new KubeClient(
      await loadKubeConfig({ kubeconfig: api.kubeconfigPath, env: {} }),
    );
    const failures: string[] = [];
    const logger = new Logger({ level: "warn", sink: { write: (line) => failures.push(line) } });
    const cfg = config(webhook.url, github.url);
    const listeners: OutcomeListener[] = [];
    // The recorder needs only these four members of the agent's core; the scheduler and
    // reconcilers of a real AgentCore would add nothing to what is measured.
    const core = {
      config: cfg,
      client,
      logger,
      onOutcome: (l: OutcomeListener) => listeners.push(l),
    } as unknown as AgentCore;
    const recorder = new EventRecorder(core, {
      involvedObject: {
        apiVersion: "v1",
        kind: "ConfigMap",
        name: "skiff",
        namespace: "flux-system",
      },
      instance: "bench",
    });
    let next = 0;
    const throughRecorder = (name: string) => async () => {
      for (let i = 0; i < EVENTS; i++) {
        for (const l of listeners) l(`Kustomization/flux-system/${name}`, outcome(next++), 0);
      }
      await recorder.flush();
    };
    const secretOf = (name: string) => {
      const provider = cfg.get("Provider", "flux-system", name)!;
      const secret = name === "github"
        ? providerSecretOf({
          secretRef: { token: "t" },
          certSecretRef: { "ca.crt": github.caCert },
        })
        : providerSecretOf({});
      return { provider, secret };
    };
    const oneByOne = (name: string) => async () => {
      const { provider, secret } = secretOf(name);
      for (let i = 0; i < EVENTS; i++) {
        await sendEvent(provider, secret, event(name === "hook" ? "hooked" : "statused", next++), {
          attempts: 1,
        });
      }
    };
    const raw = (endpoint: Endpoint, https: boolean) => async () => {
      const http = https ? Deno.createHttpClient({ caCerts: [github.caCert] }) : undefined;
      const target = https
        ? `${new URL(endpoint.url).origin}/api/v3/repos/org/fleet/statuses/`
        : endpoint.url;
      try {
        for (let i = 0; i < EVENTS; i++) {
          const body = JSON.stringify(event("raw", next++));
          const res = await fetch(https ? target + sha(i) : target, {
            method: "POST",
            body,
            client: http,
          });
          await res.body?.cancel();
        }
      } finally {
        http?.close();
      }
    };
    // Warm-up of every path, then the measured runs.
    const rows: [string, Endpoint, () => Promise<void>][] = [
      ["webhook   recorder", webhook, throughRecorder("hooked")],
      ["webhook   sendEvent", webhook, oneByOne("hook")],
      ["webhook   fetch (reference)", webhook, raw(webhook, false)],
      ["github    recorder", github, throughRecorder("statused")],
      ["github    sendEvent", github, oneByOne("github")],
      ["github    fetch (reference)", github, raw(github, true)],
    ];
    for (const [, endpoint, fn] of rows) await rate(endpoint, fn);
    const results: Record<string, number> = {};
    console.log(`${EVENTS} events per case (after a warm-up run of each)`);
    for (const [name, endpoint, fn] of rows) {
      const perSecond = await rate(endpoint, fn);
      results[name.replace(/\s+/g, " ")] = perSecond;
      console.log(`${name.padEnd(30)} ${perSecond.toFixed(0).padStart(7)} events/s`);
    }
    for (const target of ["webhook", "github"]) {
      const ref = results[`${target} fetch (reference)`];
      console.log(
        `${target}: recorder/fetch ${(results[`${target} recorder`] / ref).toFixed(2)}, ` +
          `sendEvent/fetch ${(results[`${target} sendEvent`] / ref).toFixed(2)}`,
      );
    }
    if (failures.length > 0) {
      throw new Error(`deliveries failed:\n${failures.slice(0, 3).join("\n")}`);
    }
    console.log(JSON.stringify(results));
  } finally {
    await github.stop();
    await webhook.stop();
    await api.stop();
  }
}

const dir = await Deno.makeTempDir({ prefix: "skiff-bench-events-" });
try {
  await main(dir);
} finally {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
