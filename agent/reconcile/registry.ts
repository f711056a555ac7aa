// The reconcilers the agent knows, by kind. A new kind adds its reconciler here; the scheduler
// and the agent loop stay as they are.
import type { FluxKind } from "../config/mod.ts";
import { gitRepositoryReconciler } from "./git_repository.ts";
import { helmReleaseReconciler } from "./helm_release_entry.ts";
import { helmRepositoryReconciler } from "./helm_repository.ts";
import {
  imagePolicyReconciler,
  imageRepositoryReconciler,
  imageUpdateAutomationReconciler,
} from "./image_entries.ts";
import { kustomizationReconciler } from "./kustomization.ts";
import { ociRepositoryReconciler } from "./oci_repository.ts";
import type { Reconciler } from "./types.ts";

export class ReconcilerRegistry {
  readonly #byKind = new Map<FluxKind, Reconciler>();

  register<K extends FluxKind>(reconciler: Reconciler<K>): this {
    this.#byKind.set(reconciler.kind, reconciler as unknown as Reconciler);
    return this;
  }

  get(kind: FluxKind): Reconciler | undefined {
    return this.#byKind.get(kind);
  }

  kinds(): FluxKind[] {
    return [...this.#byKind.keys()];
  }
}

/** The reconcilers shipped today. */
export function defaultReconcilers(): ReconcilerRegistry {
  return new ReconcilerRegistry()
    .register(gitRepositoryReconciler)
    .register(kustomizationReconciler)
    .register(helmRepositoryReconciler)
    .register(ociRepositoryReconciler)
    .register(helmReleaseReconciler)
    .register(imageRepositoryReconciler)
    .register(imagePolicyReconciler)
    .register(imageUpdateAutomationReconciler);
}
