import { ConfigError, formatProblem, loadConfigText } from "../../../agent/config/mod.ts";

/**
 * The problems loading `text` reports, one line each as `skiff validate` prints them; none when
 * it loads. Anything other than a ConfigError is a bug in the loader and is thrown.
 */
export function configProblems(text: string, file = "c.yaml"): string[] {
  try {
    loadConfigText(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}
