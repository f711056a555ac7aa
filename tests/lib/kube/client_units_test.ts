import assert from "node:assert/strict";
import { DEFAULT_RETRY, KubeApiError, UnknownKindError } from "../../../lib/kube/mod.ts";
import { immutableFields as immutableFieldsFor } from "../../../lib/kube/apply/mod.ts";
import { parseRetryAfter, retryDelayMs } from "../../../lib/kube/client/backoff.ts";

Deno.test("backoff doubles up to the cap, with jitter, and honours Retry-After", () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
  assert.equal(retryDelayMs(policy, 0, null, () => 0), 50);
  assert.equal(retryDelayMs(policy, 0, null, () => 1), 100);
  assert.equal(retryDelayMs(policy, 3, null, () => 1), 800);
  assert.equal(retryDelayMs(policy, 10, null, () => 1), 1_000);
  assert.equal(retryDelayMs(policy, 0, "3", () => 0), 3_000);
  assert.equal(retryDelayMs(policy, 0, "999", () => 0), policy.maxRetryAfterMs);
  assert.equal(
    parseRetryAfter(
      "Wed, 21 Oct 2015 07:28:05 GMT",
      () => Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"),
    ),
    5_000,
  );
  assert.equal(parseRetryAfter("soon"), undefined);
});

Deno.test("errors speak to people: forbidden, unknown kind", () => {
  const forbidden = new KubeApiError(
    {
      code: 403,
      reason: "Forbidden",
      message:
        'deployments.apps "web" is forbidden: User "system:serviceaccount:x:y" cannot patch resource "deployments" in API group "apps" in the namespace "z"',
    },
    {
      method: "PATCH",
      url: "https://k/apis/apps/v1/namespaces/z/deployments/web",
      verb: "patch",
      resource: "deployments",
      group: "apps",
      namespace: "z",
    },
  );
  assert.equal(
    forbidden.message,
    "forbidden: User 'system:serviceaccount:x:y' cannot patch deployments.apps in namespace 'z'",
  );
  assert.equal(
    new UnknownKindError("example.com", "v1", "Foo").message,
    "no kind 'Foo' in group 'example.com' — is the CRD installed?",
  );
  assert.match(new UnknownKindError("example.com", "v2", "Foo", ["v1"]).message, /serves: v1/);
});

Deno.test("immutable-field answers are recognised with the fields they name", () => {
  const invalid = (message: string, causes: { field: string; message: string }[] = []) =>
    new KubeApiError({ code: 422, reason: "Invalid", message, details: { causes } }, {
      method: "PATCH",
      url: "",
    });
  assert.deepEqual(
    immutableFieldsFor(
      invalid(
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: ...: field is immutable',
        [
          { field: "spec.selector", message: "Invalid value: ...: field is immutable" },
        ],
      ),
    ),
    ["spec.selector"],
  );
  assert.deepEqual(
    immutableFieldsFor(
      invalid('Job.batch "j" is invalid: spec.template: Invalid value: field is immutable'),
    ),
    [
      "spec.template",
    ],
  );
  assert.equal(
    immutableFieldsFor(invalid("spec.replicas: Invalid value: -1: must be >= 0")),
    undefined,
  );
});
