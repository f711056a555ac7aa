// A user story with Git submodules: the manifests live in a shared repository that the fleet
// repository pins as a submodule; with spec.recurseSubmodules the agent applies them, and a
// commit that moves the pin rolls the change out.
import assert from "node:assert/strict";
import { createRepo } from "../support/git_server.ts";
import {
  configOf,
  deployment,
  e2eOpts as opts,
  eventually,
  gitRepository,
  kustomization,
  replicasOf,
  startWorld,
} from "./harness.ts";

Deno.test(
  "applies manifests that live in a submodule and follows the pinned commit",
  opts,
  async () => {
    const world = await startWorld(
      { "README.md": "# fleet\n" },
      (url) =>
        configOf(
          gitRepository(url, "1s") + "  recurseSubmodules: true\n",
          kustomization("shared", "./platform/shared", { targetNamespace: "default" }, "1m"),
        ),
    );
    try {
      const shared = await createRepo(`${world.dir}/git`, "shared", {
        "web.yaml": deployment("web", 2),
      });
      await world.repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        "../shared.git",
        "platform/shared",
      );
      await world.repo.commit({}, "pin shared");
      await world.startAgent();
      await eventually(
        "web from the submodule",
        () => replicasOf(world.api, "web") === 2,
        15_000,
        world.logs,
      );

      // The shared repository moves on; the fleet does not follow until it moves its pin.
      await shared.commit({ "web.yaml": deployment("web", 4) });
      await new Promise((r) => setTimeout(r, 1_500)); // more than one source interval
      assert.equal(replicasOf(world.api, "web"), 2);
      await world.repo.git("-C", "platform/shared", "pull", "--quiet", "origin", "main");
      const pinned = await world.repo.commit({}, "bump shared");
      await eventually(
        "web scaled by the new pin",
        () => replicasOf(world.api, "web") === 4,
        15_000,
        world.logs,
      );
      const revision = await eventually(
        "the new revision in status",
        () => {
          const status = world.agent!.core.statuses.get("Kustomization/flux-system/shared");
          return status?.revision === `main@sha1:${pinned}` && status.revision;
        },
        10_000,
        world.logs,
      );
      assert.equal(revision, `main@sha1:${pinned}`);
    } finally {
      await world.stop();
    }
  },
);
