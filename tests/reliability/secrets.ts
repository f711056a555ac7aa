// The test secrets of the suite and a scanner that counts where they show up. Every scenario
// that handles a credential passes what it could observe (error messages, logs, diffs, status)
// through a scanner; the report's "secrets leaked" is the sum, and must be 0.

/** Distinctive values, so a match is never a coincidence. */
export const TEST_SECRETS = {
  gitPassword: "git-pw-7d1f0c9e4b2a",
  rotatedGitPassword: "git-pw-rotated-55aa01",
  registryToken: "reg-token-3c8e91f6d0",
  registryPassword: "reg-pw-a94e27b13c",
  secretData: "db-password-e61b0d4f72",
} as const;

export interface LeakScanner {
  /** Counts occurrences of any test secret (plain or base64) in `texts`. */
  scan(where: string, ...texts: string[]): number;
  /** Occurrences found so far. */
  readonly found: number;
  /** Where they were found, for the assertion message. */
  readonly places: string[];
}

export function leakScanner(): LeakScanner {
  const needles = Object.values(TEST_SECRETS).flatMap((s) => [s, btoa(s)]);
  const places: string[] = [];
  let found = 0;
  return {
    scan(where, ...texts) {
      let here = 0;
      for (const text of texts) {
        for (const needle of needles) {
          for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) here++;
        }
      }
      if (here > 0) places.push(`${where} (${here})`);
      found += here;
      return here;
    },
    get found() {
      return found;
    },
    places,
  };
}
