// Authentication: bearer tokens mapped to users and groups (static tokens minted by tests, and
// ServiceAccount tokens issued through TokenRequest or token Secrets).

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

function randomToken(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return prefix + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function serviceAccountUser(sa: ServiceAccountRef): UserInfo {
  return {
    name: `system:serviceaccount:${sa.namespace}:${sa.name}`,
    uid: sa.uid,
    groups: [
      "system:serviceaccounts",
      `system:serviceaccounts:${sa.namespace}`,
      "system:authenticated",
    ],
  };
}

export class Authenticator {
  #static = new Map<string, UserInfo>();
  #serviceAccounts = new Map<string, ServiceAccountRef>();

  constructor(private readonly serviceAccountExists: (sa: ServiceAccountRef) => boolean) {}

  /** Mints a token for a user; "system:authenticated" is always among the groups. */
  tokenFor(user: string, groups: string[] = []): string {
    const token = randomToken("emu-");
    const all = groups.includes("system:authenticated")
      ? groups
      : [...groups, "system:authenticated"];
    this.#static.set(token, { name: user, groups: all });
    return token;
  }

  /** Registers a fixed token (snapshots and the CLI reuse the admin token). */
  addToken(token: string, user: UserInfo): void {
    this.#static.set(token, user);
  }

  issueServiceAccountToken(sa: ServiceAccountRef): string {
    const token = randomToken("sa-");
    this.#serviceAccounts.set(token, sa);
    return token;
  }

  /** The user of a request; undefined when the credentials are missing or unknown. */
  authenticate(
    authorization: string | null,
    clientCertificate?: string | null,
  ): UserInfo | undefined {
    if (!authorization && clientCertificate) {
      // Verified by the TLS layer: CN is the user, O the groups (as kube-apiserver maps them).
      const { user, groups } = JSON.parse(clientCertificate) as { user: string; groups: string[] };
      return { name: user, groups: [...groups, "system:authenticated"] };
    }
    if (!authorization) return undefined;
    const m = authorization.match(/^Bearer\s+(\S+)$/i);
    if (!m) return undefined;
    const user = this.#static.get(m[1]);
    if (user) return user;
    const sa = this.#serviceAccounts.get(m[1]);
    if (sa && this.serviceAccountExists(sa)) return serviceAccountUser(sa);
    return undefined;
  }
}
