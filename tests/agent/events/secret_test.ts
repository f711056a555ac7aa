import assert from "node:assert/strict";
import { ProviderSecretError, providerSecretOf } from "../../../agent/events/mod.ts";

Deno.test("provider Secrets: keys as Flux documents them, headers parsed from YAML", () => {
  const secret = providerSecretOf({
    secretRef: {
      address: " https://hook.example/x \n",
      token: "t\n",
      username: "bot",
      headers: "X-Team: platform\nX-Count: 3\n",
      proxy: "http://proxy:3128",
    },
    certSecretRef: { "ca.crt": "CA", "tls.crt": "CRT", "tls.key": "KEY" },
  });
  assert.deepEqual(secret, {
    address: "https://hook.example/x",
    token: "t",
    username: "bot",
    password: undefined,
    proxy: "http://proxy:3128",
    headers: { "x-team": "platform", "x-count": "3" },
    caCert: "CA",
    clientCert: { cert: "CRT", key: "KEY" },
  });
  const viaProxySecret = providerSecretOf({
    secretRef: { proxy: "http://ignored:1" },
    proxySecretRef: { address: "http://proxy:8080", username: "u", password: "p" },
  });
  assert.equal(viaProxySecret.proxy, "http://proxy:8080");
  assert.equal(viaProxySecret.proxyUsername, "u");
});

Deno.test("provider Secrets: malformed headers and half a client certificate are named", () => {
  assert.throws(
    () => providerSecretOf({ secretRef: { headers: "- a\n- b\n" } }),
    (e) =>
      e instanceof ProviderSecretError &&
      /spec\.secretRef: key 'headers' must be a map/.test(e.message),
  );
  assert.throws(
    () => providerSecretOf({ secretRef: { headers: "a: [x\n" } }),
    /key 'headers' is not valid YAML/,
  );
  assert.throws(
    () => providerSecretOf({ certSecretRef: { "tls.crt": "CRT" } }),
    /spec\.certSecretRef: key 'tls\.key' is missing/,
  );
  assert.throws(
    () => providerSecretOf({ proxySecretRef: { username: "u" } }),
    /spec\.proxySecretRef: key 'address' is missing/,
  );
});
