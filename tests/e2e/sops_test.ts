// Issue 14's proof: a Kustomization with spec.decryption (sops, keys from a Secret) applies a
// SOPS-encrypted Secret and a secretGenerator over an encrypted dotenv file; the cluster holds
// the plaintext, and no log line, Event, inventory or status holds it. A file the keys cannot
// decrypt fails the build naming the file, and nothing of that Kustomization is applied.
// `skiff diff --decryption-key` renders the same offline, values masked.
import assert from "node:assert/strict";
import { diffCommand } from "../../agent/cli/diff.ts";
import { Logger } from "../../lib/log/mod.ts";
import { YAML } from "../../lib/yaml/mod.ts";
import { encryptLikeSops } from "../lib/sops/sops_writer.ts";
import {
  adminClient,
  configMap,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  startWorld,
} from "./harness.ts";

const PASSWORD = "pl41n-db-password-7c1e";
const TOKEN = "pl41n-api-token-93ab";

/** A fresh age identity from the real age-keygen: the key file and its recipient. */
async function ageKey(dir: string, name: string): Promise<{ file: string; recipient: string }> {
  const file = `${dir}/${name}.agekey`;
  const out = await new Deno.Command("age-keygen", { args: ["-o", file], stderr: "piped" })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const text = await Deno.readTextFile(file);
  return { file, recipient: text.match(/public key: (age1\w+)/)![1] };
}

/** SOPS's dotenv store: the same tree as a flat YAML map, metadata flattened under `sops_`. */
async function encryptDotenv(values: Record<string, string>, recipient: string): Promise<string> {
  const yaml = YAML.parse(
    await encryptLikeSops(values, { recipient, rule: { unencrypted_suffix: "_unencrypted" } }),
  ) as Record<string, unknown>;
  const lines: string[] = [];
  const flat = (prefix: string, v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => flat(`${prefix}__list_${i}`, x));
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) flat(`${prefix}__map_${k}`, x);
    } else lines.push(`${prefix}=${String(v).replaceAll("\n", "\\n")}`);
  };
  for (const [k, v] of Object.entries(yaml)) {
    if (k !== "sops") lines.push(`${k}=${v}`);
  }
  for (const [k, v] of Object.entries(yaml.sops as Record<string, unknown>)) flat(`sops_${k}`, v);
  return lines.join("\n") + "\n";
}

async function encryptedSecret(recipient: string): Promise<string> {
  return await encryptLikeSops({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db-creds" },
    stringData: { password: PASSWORD },
  }, { recipient, rule: { encrypted_regex: "^(data|stringData)$" } });
}

Deno.test(
  "SOPS: encrypted Secret and dotenv generator applied, plaintext nowhere else",
  opts,
  async () => {
    const keysDir = await Deno.makeTempDir({ prefix: "skiff-sops-keys-" });
    const key = await ageKey(keysDir, "cluster");
    const stranger = await ageKey(keysDir, "stranger");
    const decryption = { provider: "sops", secretRef: { name: "sops-age" } };
    const world = await startWorld(
      {
        "apps/kustomization.yaml": [
          "resources: [secret.enc.yaml]",
          "secretGenerator:",
          "  - name: app-env",
          "    envs: [app.enc.env]",
          "generatorOptions: {disableNameSuffixHash: true}",
          "",
        ].join("\n"),
        "apps/secret.enc.yaml": await encryptedSecret(key.recipient),
        "apps/app.enc.env": await encryptDotenv({ API_TOKEN: TOKEN }, key.recipient),
        "broken/settings.yaml": configMap("broken-settings", { a: "1" }),
        "broken/other.enc.yaml": await encryptedSecret(stranger.recipient),
      },
      (url) =>
        [
          gitRepository(url, "1h"),
          kustomization("apps", "./apps", { targetNamespace: "default", decryption }, "1h"),
          kustomization("broken", "./broken", { targetNamespace: "default", decryption }, "1h"),
        ].join("---\n"),
    );
    const store = world.api.store;
    const client = await adminClient(world.api);
    // What the API server stores: `data` only (stringData is folded into it on write).
    const secretValue = (name: string, key: string): string | undefined => {
      const secret = store.get("v1", "Secret", name, "default");
      const data = (secret?.data ?? {}) as Record<string, string>;
      return data[key] === undefined ? undefined : atob(data[key]);
    };
    try {
      // Offline: no key Secret in the cluster yet; diff decrypts with --decryption-key.
      const out: string[] = [];
      const diffLogs: string[] = [];
      const write = Deno.stdout.writeSync;
      const log = console.log;
      Deno.stdout.writeSync = (p: Uint8Array) => (out.push(new TextDecoder().decode(p)), p.length);
      console.log = (...args: unknown[]) => out.push(args.join(" "));
      let code;
      try {
        code = await diffCommand({
          config: world.configPath,
          name: "apps",
          kubeconfig: world.api.kubeconfigPath,
          cacheDir: `${world.dir}/diff-cache`,
          decryptionKeys: [key.file],
          output: "table",
        }, new Logger({ sink: { write: (l) => diffLogs.push(l) } }));
      } finally {
        Deno.stdout.writeSync = write;
        console.log = log;
      }
      const diffText = out.join("\n");
      assert.equal(code, 1, diffText + diffLogs.join("\n"));
      assert.match(diffText, /Secret\/default\/db-creds created/);
      assert.match(diffText, /Secret\/default\/app-env created/);
      for (const plain of [PASSWORD, TOKEN]) {
        assert.ok(!diffText.includes(plain), "diff output masks decrypted values");
        assert.ok(!diffLogs.join("\n").includes(plain));
      }

      await client.create({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "flux-system" },
      });
      await client.create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "sops-age", namespace: "flux-system" },
        stringData: { "identity.agekey": await Deno.readTextFile(key.file) },
      });
      const agent = await world.startAgent();
      await eventually(
        "secrets applied",
        () => secretValue("app-env", "API_TOKEN"),
        15_000,
        world.logs,
      );
      assert.equal(secretValue("db-creds", "password"), PASSWORD);
      assert.equal(secretValue("app-env", "API_TOKEN"), TOKEN);

      // The undecryptable Kustomization fails naming the file, and applies nothing.
      const broken = await eventually(
        "broken fails",
        () => {
          const s = agent.core.statuses.get("Kustomization/flux-system/broken");
          return s?.ready === "False" ? s : undefined;
        },
        15_000,
        world.logs,
      );
      assert.equal(broken.reason, "BuildFailed");
      assert.match(broken.message ?? "", /other\.enc\.yaml/);
      assert.equal(store.get("v1", "ConfigMap", "broken-settings", "default"), undefined);

      // The plaintext is in the applied Secrets only.
      await agent.stop();
      const events = await client.list("v1", "Event");
      const inventory = store.get("v1", "ConfigMap", "skiff-ks-flux-system-apps", "flux-system");
      const statuses = [...agent.core.owned().keys()].map((k) => agent.core.statuses.get(k));
      const places: Record<string, string> = {
        logs: world.logs.join("\n"),
        events: JSON.stringify(events),
        inventory: JSON.stringify(inventory),
        status: JSON.stringify(statuses),
      };
      assert.ok(inventory, "the inventory was stored");
      for (const [where, text] of Object.entries(places)) {
        for (const plain of [PASSWORD, TOKEN]) {
          assert.ok(!text.includes(plain), `${where} must not hold a decrypted value`);
          assert.ok(
            !text.includes(btoa(plain)),
            `${where} must not hold a decrypted value (base64)`,
          );
        }
      }
    } finally {
      client.transport.close();
      await world.stop();
      await Deno.remove(keysDir, { recursive: true });
    }
  },
);
