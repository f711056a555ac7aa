// The measuring client of bench/apiserver/main.ts, in its own process as a real client is:
//   deno run -A client.ts URL TOKEN CAFILE
// Prints JSON {name: [milliseconds...]} for each request kind.
const [url, token, caFile] = Deno.args;
const http = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(caFile)] });
const headers = { authorization: `Bearer ${token}`, accept: "application/json" };

async function time(path: string, init: RequestInit = {}): Promise<number> {
  const t = performance.now();
  const r = await fetch(`${url}${path}`, { headers, client: http, ...init });
  await r.arrayBuffer();
  if (r.status >= 300) throw new Error(`${path}: ${r.status}`);
  return performance.now() - t;
}

const out: Record<string, number[]> = {};
const repeat = async (name: string, n: number, fn: () => Promise<number>) => {
  await fn();
  out[name] = [];
  for (let i = 0; i < n; i++) out[name].push(await fn());
};
const list = "/api/v1/namespaces/ns-7/configmaps";
await repeat("list", 15, () => time(list));
await repeat("listSelector", 15, () => time(`${list}?labelSelector=app%3Da3`));
await repeat("listPage", 15, () => time(`${list}?limit=500`));
await repeat("get", 50, () => time(`${list}/cm-42`));
let i = 0;
await repeat("apply", 100, () => {
  i++;
  const name = `web-${i % 20}`;
  const body = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: 1 + (i % 3),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{
            name: "c",
            image: `nginx:1.${i}`,
            ports: [{ containerPort: 80 }],
            env: [{ name: "I", value: String(i) }],
          }],
        },
      },
    },
  };
  return time(`/apis/apps/v1/namespaces/default/deployments/${name}?fieldManager=bench`, {
    method: "PATCH",
    headers: { ...headers, "content-type": "application/apply-patch+yaml" },
    body: JSON.stringify(body),
  });
});
http.close();
console.log(JSON.stringify(out));
