import assert from "node:assert/strict";
import { ExecCredentialError, execCredentials, loadKubeConfig } from "../../../lib/kube/mod.ts";
import { tempDir } from "../../support/process.ts";
import { rejectsWith } from "../../support/rejects.ts";

/** A credential plugin: records each run's env and args, answers with a numbered token. */
const PLUGIN = `#!/bin/sh
count=$(cat "$STATE/count" 2>/dev/null || echo 0)
count=$((count + 1))
echo $count > "$STATE/count"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/info-$count.json"
echo "$@" > "$STATE/args-$count"
cat <<JSON
{"apiVersion": "$API", "kind": "ExecCredential",
 "status": {"token": "token-$count", "expirationTimestamp": "$EXPIRES"}}
JSON
`;

async function pluginDir() {
  const dir = await tempDir();
  const path = `${dir.path}/plugin.sh`;
  await Deno.writeTextFile(path, PLUGIN);
  await Deno.chmod(path, 0o755);
  return {
    ...dir,
    plugin: path,
    runs: async () => Number(await Deno.readTextFile(`${dir.path}/count`)),
  };
}

Deno.test("exec plugin: env, args and cluster info reach the plugin; the token is cached until it expires", async () => {
  const dir = await pluginDir();
  try {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const source = execCredentials(
      {
        apiVersion: "client.authentication.k8s.io/v1",
        command: dir.plugin,
        args: ["get-token", "--cluster", "c1"],
        env: [
          { name: "STATE", value: dir.path },
          { name: "API", value: "client.authentication.k8s.io/v1" },
          { name: "EXPIRES", value: "2026-01-01T00:10:00Z" },
        ],
        interactiveMode: "Never",
        provideClusterInfo: true,
      },
      { server: "https://k8s.example" },
      { clock: () => now },
    );
    assert.equal((await source.get()).authorization, "Bearer token-1");
    assert.equal((await source.get()).authorization, "Bearer token-1");
    assert.equal(await dir.runs(), 1);
    const info = JSON.parse(await Deno.readTextFile(`${dir.path}/info-1.json`));
    assert.deepEqual(info, {
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      spec: { interactive: false, cluster: { server: "https://k8s.example" } },
    });
    assert.equal((await Deno.readTextFile(`${dir.path}/args-1`)).trim(), "get-token --cluster c1");

    now = Date.parse("2026-01-01T00:10:01Z");
    assert.equal((await source.get()).authorization, "Bearer token-2", "expired: run again");
    source.invalidate(); // what the transport does on 401
    assert.equal((await source.get()).authorization, "Bearer token-3");
  } finally {
    await dir.remove();
  }
});

Deno.test("exec plugin from a kubeconfig (v1beta1), with a relative command path", async () => {
  const dir = await pluginDir();
  try {
    const config = `current-context: c
clusters: [{name: c, cluster: {server: "https://x"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./plugin.sh
      env:
      - {name: STATE, value: ${dir.path}}
      - {name: API, value: client.authentication.k8s.io/v1beta1}
      - {name: EXPIRES, value: "2999-01-01T00:00:00Z"}
`;
    await Deno.writeTextFile(`${dir.path}/config`, config);
    const resolved = await loadKubeConfig({
      kubeconfig: `${dir.path}/config`,
      env: {},
      exec: { stdinIsTerminal: false },
    });
    assert.equal((await resolved.credentials.get()).authorization, "Bearer token-1");
    const info = JSON.parse(await Deno.readTextFile(`${dir.path}/info-1.json`));
    assert.equal(info.spec.interactive, false, "IfAvailable without a terminal is not interactive");
  } finally {
    await dir.remove();
  }
});

Deno.test("exec plugin failures say what went wrong", async () => {
  const dir = await pluginDir();
  try {
    const failing = `${dir.path}/fail.sh`;
    await Deno.writeTextFile(
      failing,
      "#!/bin/sh\necho 'login required: run aws sso login' >&2\nexit 3\n",
    );
    await Deno.chmod(failing, 0o755);
    const run = (command: string, extra: Record<string, unknown> = {}) =>
      execCredentials(
        {
          apiVersion: "client.authentication.k8s.io/v1",
          command,
          interactiveMode: "Never",
          ...extra,
        },
        undefined,
        { stdinIsTerminal: false },
      ).get();
    await rejectsWith(
      run(failing),
      ExecCredentialError,
      /exited with code 3: login required: run aws sso login/,
    );
    await assert.rejects(
      run(`${dir.path}/missing`, { installHint: "install it with: apt install thing" }),
      /command not found\ninstall it with/,
    );
    await assert.rejects(run(failing, { interactiveMode: "Always" }), /no terminal/);
    const wrongVersion = `${dir.path}/wrong.sh`;
    await Deno.writeTextFile(
      wrongVersion,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}'\n`,
    );
    await Deno.chmod(wrongVersion, 0o755);
    await assert.rejects(
      run(wrongVersion),
      /answered apiVersion 'client.authentication.k8s.io\/v1beta1'/,
    );
    assert.throws(
      () =>
        execCredentials(
          { apiVersion: "client.authentication.k8s.io/v1alpha1", command: "x" },
          undefined,
        ),
      /not supported/,
    );
  } finally {
    await dir.remove();
  }
});
