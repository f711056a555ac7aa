import assert from "node:assert/strict";
import { MASK, redactDocument, redactText } from "../../../agent/ui/mod.ts";

Deno.test("credential-like keys are masked at any depth; names of Secrets are kept", () => {
  const doc = {
    spec: {
      secretRef: { name: "git-auth" },
      values: { db: { password: "pw1", user: "app" }, apiKey: "k-123", replicas: 2 },
      passCredentials: true,
      list: [{ token: "t-1" }, { name: "ok" }],
    },
  };
  assert.deepEqual(redactDocument(doc), {
    spec: {
      secretRef: { name: "git-auth" },
      values: { db: { password: MASK, user: "app" }, apiKey: MASK, replicas: 2 },
      passCredentials: true,
      list: [{ token: MASK }, { name: "ok" }],
    },
  });
});

Deno.test("an inline Secret loses every data value", () => {
  const doc = {
    kind: "Secret",
    metadata: { name: "s" },
    data: { a: "YQ==" },
    stringData: { b: "x" },
  };
  assert.deepEqual(redactDocument(doc), {
    kind: "Secret",
    metadata: { name: "s" },
    data: { a: MASK },
    stringData: { b: MASK },
  });
});

Deno.test("passwords in URLs and values the agent knows are secret are masked in text", () => {
  assert.equal(
    redactText("fetch https://user:p4ss@git.example.com/x.git failed"),
    `fetch https://user:${MASK}@git.example.com/x.git failed`,
  );
  assert.equal(
    redactText("token abcd1234 rejected", (t) => t.replaceAll("abcd1234", "***")),
    "token *** rejected",
  );
  assert.equal(redactText("ssh://git@github.com/x"), "ssh://git@github.com/x");
});
