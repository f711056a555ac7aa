// The parts of an ImageUpdateAutomation (and its GitRepository) one run needs, as plain
// structural types: agent/config's normalized objects fit them without conversion, and lib/
// stays free of agent/.

/** A Git reference as GitRepository.spec.ref and git.checkout.ref write it. */
export interface GitCheckoutRef {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

export interface AutomationGitSpec {
  checkout?: { ref: GitCheckoutRef };
  commit: {
    author: { name?: string; email: string };
    messageTemplate?: string;
    messageTemplateValues?: Record<string, string>;
  };
  push?: { branch?: string; refspec?: string; options?: Record<string, string> };
}

/** An ImageUpdateAutomation, normalized to the newest apiVersion. */
export interface AutomationObject {
  metadata: { name: string; namespace: string };
  spec: {
    git?: AutomationGitSpec;
    update?: { path?: string; strategy?: string };
  };
}

/** The GitRepository named by spec.sourceRef, with its Secret's data already read. */
export interface AutomationSource {
  url: string;
  /** spec.ref of the GitRepository (used when git.checkout is absent). */
  ref?: GitCheckoutRef;
  /** Data of its spec.secretRef Secret (username/password, bearerToken, identity...). */
  secret?: Record<string, string>;
  proxySecret?: Record<string, string>;
}
