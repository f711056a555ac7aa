// Certificates written by genCA/genSelfSignedCert/genSignedCert are checked by node:crypto's
// X.509 parser and by Go itself: Go's Sprig signs with a skiff CA (buildCustomCert), and skiff
// signs with a Go CA.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { Template } from "../../../lib/gotemplate/mod.ts";
import { sprigFuncs } from "../../../lib/sprig/mod.ts";
import { renderWithGo } from "../../support/gotemplate_oracle.ts";

function render(text: string): string {
  return new Template("t").funcs(sprigFuncs()).parse(text).execute({});
}

function split(text: string): string[] {
  return text.split("@@");
}

Deno.test("genCA and genSignedCert make a chain with SANs that verifies", () => {
  const [caPem, certPem, keyPem] = split(render(
    '{{ $ca := genCA "skiff-ca" 365 }}' +
      '{{ $c := genSignedCert "svc.ns" (list "10.0.0.1") (list "svc" "svc.ns.svc") 30 $ca }}' +
      "{{ $ca.Cert }}@@{{ $c.Cert }}@@{{ $c.Key }}",
  ));
  const ca = new X509Certificate(caPem);
  const cert = new X509Certificate(certPem);
  assert.equal(ca.subject, "CN=skiff-ca");
  assert.ok(ca.ca);
  assert.ok(cert.checkIssued(ca));
  assert.ok(cert.verify(ca.publicKey));
  assert.equal(cert.subjectAltName, "DNS:svc, DNS:svc.ns.svc, IP Address:10.0.0.1");
  assert.match(keyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86400000;
  assert.equal(Math.round(days), 30);
});

Deno.test("genSelfSignedCert and the WithKey forms use the given key", () => {
  const key = render('{{ genPrivateKey "ecdsa" }}');
  const [certPem, keyOut] = split(render(
    `{{ $c := genSelfSignedCertWithKey "self" nil (list "a.example") 10 \`${key}\` }}` +
      "{{ $c.Cert }}@@{{ $c.Key }}",
  ));
  const cert = new X509Certificate(certPem);
  assert.ok(cert.verify(cert.publicKey));
  assert.equal(keyOut.trim(), key.trim());
  const caPem = render(`{{ (genCAWithKey "k-ca" 5 \`${key}\`).Cert }}`);
  assert.ok(new X509Certificate(caPem).ca);
});

Deno.test("Go's Sprig signs with a skiff CA, and skiff signs with a Go CA", async () => {
  const [caCert, caKey] = split(
    render('{{ $ca := genCA "skiff-ca" 10 }}{{ $ca.Cert }}@@{{ $ca.Key }}'),
  );
  const [fromGo, goCa] = await renderWithGo([
    {
      template: `{{ $ca := buildCustomCert "${btoa(caCert)}" "${btoa(caKey)}" }}` +
        `{{ (genSignedCert "by-go" nil (list "x") 5 $ca).Cert }}`,
    },
    { template: '{{ $ca := genCA "go-ca" 10 }}{{ $ca.Cert }}@@{{ $ca.Key }}' },
  ]);
  assert.equal(fromGo.error, undefined);
  const goLeaf = new X509Certificate(fromGo.output!);
  assert.ok(goLeaf.verify(new X509Certificate(caCert).publicKey));
  const [goCaCert, goCaKey] = split(goCa.output!);
  const leaf = render(
    `{{ $ca := buildCustomCert "${btoa(goCaCert)}" "${btoa(goCaKey)}" }}` +
      `{{ (genSignedCert "by-skiff" nil nil 5 $ca).Cert }}`,
  );
  assert.ok(new X509Certificate(leaf).verify(new X509Certificate(goCaCert).publicKey));
});

Deno.test("buildCustomCert rejects what is not base64 PEM", () => {
  assert.throws(
    () => render('{{ buildCustomCert "!!" "" }}'),
    /unable to decode base64 certificate/,
  );
  assert.throws(
    () => render(`{{ buildCustomCert "${btoa("nope")}" "${btoa("nope")}" }}`),
    /unable to decode certificate/,
  );
});
