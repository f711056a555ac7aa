// Turns reconcile outcomes into events: a Kubernetes Event in the agent's namespace (the
// involved object is the agent's Lease/ConfigMap, since Flux documents are not in the cluster)
// and a notification through every matching Alert's Provider. Only what a person would want to
// hear is sent: a change applied, a new revision, a failure (once per distinct message), a
// recovery.
import type { AgentCore } from "../agent.ts";
import { errorText } from "../agent.ts";
import { readSecretData } from "../cluster/secrets.ts";
import type { Outcome } from "../reconcile/mod.ts";
import { parseObjectKey } from "../status/mod.ts";
import type { AgentEvent } from "./event.ts";
import { eventForAlert, matchingAlerts } from "./alerts.ts";
import { providerSecretOf } from "./providers/secret.ts";
import { sendEvent } from "./providers/send.ts";

export interface RecorderOptions {
  /** The object Kubernetes Events name as involved: the Lease, or the agent's ConfigMap. */
  involvedObject: { apiVersion: string; kind: string; name: string; namespace: string };
  instance: string;
}

export class EventRecorder {
  readonly #core: AgentCore;
  readonly #o: RecorderOptions;
  readonly #last = new Map<string, string>();
  readonly #pending = new Set<Promise<void>>();

  constructor(core: AgentCore, options: RecorderOptions) {
    this.#core = core;
    this.#o = options;
    core.onOutcome((key, outcome) => this.#observe(key, outcome));
  }

  /** Waits for deliveries in flight (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  #observe(key: string, outcome: Outcome): void {
    // A failure is about the revision it attempted (a broken commit gets its own event and
    // commit status, even when the previous one broke with the same message).
    const revision = outcome.ready === "False"
      ? outcome.attemptedRevision ?? outcome.revision
      : outcome.revision ?? outcome.attemptedRevision;
    const fingerprint = `${outcome.ready}|${outcome.reason}|${revision}|${
      outcome.ready === "False" ? outcome.message : ""
    }`;
    const previous = this.#last.get(key);
    this.#last.set(key, fingerprint);
    if (!outcome.applied && previous === fingerprint) return;
    if (outcome.reason === "DependencyNotReady" || outcome.reason === "ArtifactFailed") return;
    const { kind, namespace, name } = parseObjectKey(key);
    const event: AgentEvent = {
      involvedObject: { kind, namespace, name },
      severity: outcome.ready === "False" ? "error" : "info",
      reason: outcome.reason,
      message: outcome.message,
      timestamp: new Date().toISOString(),
      metadata: revision ? { revision } : {},
      reportingController: "skiff",
      reportingInstance: this.#o.instance,
    };
    this.#track(this.#kubeEvent(event));
    for (const alert of matchingAlerts(this.#core.config, event)) {
      this.#track(
        this.#notify(
          alert.spec.providerRef.name,
          alert.metadata.namespace,
          eventForAlert(alert, event),
        ),
      );
    }
  }

  #track(p: Promise<void>): void {
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p));
  }

  async #kubeEvent(e: AgentEvent): Promise<void> {
    const now = e.timestamp.replace(/\.\d{3}Z$/, "Z");
    const ns = this.#o.involvedObject.namespace;
    try {
      await this.#core.client.create({
        apiVersion: "v1",
        kind: "Event",
        metadata: {
          name: `skiff.${Date.now().toString(16)}${
            Math.floor(Math.random() * 0xffff).toString(16)
          }`,
          namespace: ns,
          annotations: {
            "skiff.dev/object":
              `${e.involvedObject.kind}/${e.involvedObject.namespace}/${e.involvedObject.name}`,
            ...(e.metadata.revision ? { "skiff.dev/revision": e.metadata.revision } : {}),
          },
        },
        involvedObject: this.#o.involvedObject,
        reason: e.reason,
        message:
          `${e.involvedObject.kind} ${e.involvedObject.namespace}/${e.involvedObject.name}: ${e.message}`,
        type: e.severity === "error" ? "Warning" : "Normal",
        source: { component: "skiff" },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: "skiff",
        reportingInstance: this.#o.instance,
      });
    } catch (err) {
      this.#core.logger.debug("could not record a Kubernetes Event", { error: errorText(err) });
    }
  }

  async #notify(providerName: string, namespace: string, event: AgentEvent): Promise<void> {
    const provider = this.#core.config.get("Provider", namespace, providerName);
    if (!provider || provider.spec.suspend) return;
    const where = `${namespace}/${providerName}`;
    try {
      const read = (field: string, ref: { name: string } | undefined) =>
        ref
          ? readSecretData(
            this.#core.client,
            namespace,
            ref.name,
            field,
            this.#core.logger.secrets,
          )
          : Promise.resolve(undefined);
      const secret = providerSecretOf({
        secretRef: await read("spec.secretRef", provider.spec.secretRef),
        certSecretRef: await read("spec.certSecretRef", provider.spec.certSecretRef),
        proxySecretRef: await read("spec.proxySecretRef", provider.spec.proxySecretRef),
      });
      const result = await sendEvent(provider, secret, event);
      if (result.skipped) {
        this.#core.logger.debug("notification not sent", {
          provider: where,
          reason: result.skipped,
        });
      }
    } catch (e) {
      this.#core.logger.warn("notification not delivered", {
        provider: where,
        error: errorText(e),
      });
    }
  }
}
