// A loaded config: typed lists per kind, lookup by kind/namespace/name, and the Agent's
// settings (defaults when the file has no Agent document).
import type { AgentSpec } from "./kinds/mod.ts";
import type { Agent, FluxKind, FluxObject, ObjectsByKind } from "./objects.ts";

export class Config {
  readonly #byKey = new Map<string, FluxObject>();

  constructor(
    readonly file: string,
    /** Every object except the Agent, in file order. */
    readonly objects: readonly FluxObject[],
    /** The Agent's settings, with defaults applied. */
    readonly agent: AgentSpec,
    /** The Agent document, when the file has one. */
    readonly agentObject?: Agent,
  ) {
    for (const o of objects) {
      this.#byKey.set(keyOf(o.kind, o.metadata.namespace, o.metadata.name), o);
    }
  }

  /** Objects of one kind, in file order. */
  ofKind<K extends FluxKind>(kind: K): ObjectsByKind[K][] {
    return this.objects.filter((o): o is ObjectsByKind[K] => o.kind === kind);
  }

  get<K extends FluxKind>(kind: K, namespace: string, name: string): ObjectsByKind[K] | undefined {
    return this.#byKey.get(keyOf(kind, namespace, name)) as ObjectsByKind[K] | undefined;
  }

  get gitRepositories() {
    return this.ofKind("GitRepository");
  }
  get ociRepositories() {
    return this.ofKind("OCIRepository");
  }
  get helmRepositories() {
    return this.ofKind("HelmRepository");
  }
  get kustomizations() {
    return this.ofKind("Kustomization");
  }
  get helmReleases() {
    return this.ofKind("HelmRelease");
  }
  get imageRepositories() {
    return this.ofKind("ImageRepository");
  }
  get imagePolicies() {
    return this.ofKind("ImagePolicy");
  }
  get imageUpdateAutomations() {
    return this.ofKind("ImageUpdateAutomation");
  }
  get receivers() {
    return this.ofKind("Receiver");
  }
  get alerts() {
    return this.ofKind("Alert");
  }
  get providers() {
    return this.ofKind("Provider");
  }
}

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}
