// `skiff bootstrap git` option handling and its messages for people: credentials from the
// environment only, a wrong token named by its option (never printed), bad durations.
import assert from "node:assert/strict";
import { bootstrapGitCommand, type BootstrapGitOptions } from "../../../agent/cli/bootstrap.ts";
import { CommandError, UsageError } from "../../../agent/cli/output.ts";
import { Logger } from "../../../lib/log/mod.ts";
import { startApiServer } from "../../apiserver/mod.ts";
import { createRepo, git, startGitServer } from "../../support/git_server.ts";
import { rejectsWith } from "../../support/rejects.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const logger = new Logger({ level: "error", sink: { write: () => {} } });

function options(overrides: Partial<BootstrapGitOptions>): BootstrapGitOptions {
  return {
    url: "http://127.0.0.1:1/fleet.git",
    branch: "main",
    path: "clusters/prod",
    namespace: "skiff-system",
    interval: "1m",
    authorName: "skiff",
    authorEmail: "skiff@example.com",
    timeout: "10s",
    wait: false,
    ...overrides,
  };
}

Deno.test("credential options are checked before anything else", async () => {
  const env = (name: string) => (name === "SET" ? "value" : undefined);
  await rejectsWith(
    () => bootstrapGitCommand(options({ tokenEnv: "UNSET" }), logger, env),
    UsageError,
    /--token-env UNSET: .* not set/,
  );
  await rejectsWith(
    () => bootstrapGitCommand(options({ tokenEnv: "SET", username: "u" }), logger, env),
    UsageError,
    /one of --token-env, --username/,
  );
  await rejectsWith(
    () => bootstrapGitCommand(options({ username: "u" }), logger, env),
    UsageError,
    /--username and --password-env go together/,
  );
  await rejectsWith(
    () => bootstrapGitCommand(options({ privateKeyFile: "/dev/null" }), logger, env),
    UsageError,
    /needs --known-hosts-file/,
  );
  await rejectsWith(
    () => bootstrapGitCommand(options({ componentsExtra: ["notification-thing"] }), logger, env),
    UsageError,
    /--components-extra notification-thing: unknown/,
  );
  await rejectsWith(
    () => bootstrapGitCommand(options({ timeout: "soon" }), logger, env),
    UsageError,
    /--timeout soon/,
  );
});

Deno.test(
  "a wrong token fails with exit code 1, naming the option but not the token",
  opts,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "skiff-bootstrap-cli-" });
    const api = await startApiServer({ rolloutDelayMs: 20 });
    const server = await startGitServer({
      root: `${dir}/git`,
      auth: { bearerToken: "right-token" },
    });
    try {
      const repo = await createRepo(`${dir}/git`, "fleet");
      const before = await git(repo.bare, "rev-parse", "main");
      const env = (name: string) => (name === "GIT_TOKEN" ? "wrong-token-value" : undefined);
      await assert.rejects(
        () =>
          bootstrapGitCommand(
            options({
              url: server.url("fleet"),
              tokenEnv: "GIT_TOKEN",
              kubeconfig: api.kubeconfigPath,
            }),
            logger,
            env,
          ),
        (e: unknown) => {
          assert.ok(e instanceof CommandError);
          assert.equal(e.exitCode, 1);
          assert.match(
            e.message,
            /refused the credentials; check the token in \$GIT_TOKEN \(--token-env\)/,
          );
          assert.doesNotMatch(e.message, /wrong-token-value/);
          return true;
        },
      );
      assert.equal(await git(repo.bare, "rev-parse", "main"), before);
      assert.equal(
        api.store.get("v1", "Namespace", "skiff-system"),
        undefined,
        "nothing installed",
      );
    } finally {
      await server.stop();
      await api.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("credentials in the URL are refused: they would be committed", opts, async () => {
  const api = await startApiServer({ rolloutDelayMs: 20 });
  try {
    await rejectsWith(
      () =>
        bootstrapGitCommand(
          options({
            url: "https://bot:pw@git.example.com/fleet.git",
            kubeconfig: api.kubeconfigPath,
          }),
          logger,
        ),
      UsageError,
      /--url: credentials in the URL/,
    );
  } finally {
    await api.stop();
  }
});
