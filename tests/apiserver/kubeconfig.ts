// A kubeconfig for the emulator: one cluster, one admin user (bearer token), context "emulator".
import { YAML } from "../../lib/yaml/mod.ts";

export function kubeconfigText(url: string, caPem: string | undefined, token: string): string {
  const cluster: Record<string, string> = { server: url };
  if (caPem) cluster["certificate-authority-data"] = btoa(caPem);
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "emulator", cluster }],
    users: [{ name: "admin", user: { token } }],
    contexts: [{
      name: "emulator",
      context: { cluster: "emulator", user: "admin", namespace: "default" },
    }],
    "current-context": "emulator",
    preferences: {},
  });
}
