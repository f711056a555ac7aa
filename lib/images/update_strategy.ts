// `spec.update` of an ImageUpdateAutomation: Flux knows one strategy, Setters, and refuses a
// missing or unknown one rather than guessing.
import { SetterError } from "./setter_error.ts";

export interface UpdateStrategySpec {
  strategy?: string;
  /** Sub-directory of the checkout to update, default the root. */
  path?: string;
}

/** The path to run the setters on; throws SetterError for a missing or unknown strategy. */
export function setterPathOf(update: UpdateStrategySpec | undefined | null): string {
  if (!update) {
    throw new SetterError("spec.update: no update strategy given (expected strategy: Setters)");
  }
  const strategy = update.strategy ?? "Setters";
  if (strategy !== "Setters") {
    throw new SetterError(
      `spec.update.strategy: unknown update strategy ${
        JSON.stringify(strategy)
      } (expected Setters)`,
    );
  }
  return update.path ?? ".";
}
