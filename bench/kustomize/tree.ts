// Writes a realistic Kustomize tree for the benchmark: a base of ~50 resources (Deployments,
// Services, ServiceAccounts, HPAs, Ingresses, ConfigMaps) with ConfigMap/Secret generators and
// patches, then three overlay levels (shared -> region -> environment) and `overlays`
// environment overlays listed by one top kustomization. Each overlay adds ~50 objects.
import { dirname, join } from "node:path";

async function write(path: string, text: string) {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, text);
}

function app(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels: {app: app-${i}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      serviceAccountName: sa-${i}
      containers:
      - name: main
        image: registry.example.com/team/app-${i}:1.0.${i}
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef: {name: shared-config}
        env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef: {name: shared-secret, key: password}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
      volumes:
      - name: config
        configMap: {name: app-config-${i}}
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector: {app: app-${i}}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-${i}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: app-${i}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-${i}}
  minReplicas: 2
  maxReplicas: 10
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config-${i}
data:
  settings.json: '{"feature": ${i}, "verbose": false}'
`;
}

/** Writes the tree under `root`; returns the directory to build. */
export async function writeBenchTree(root: string, overlays: number): Promise<string> {
  const apps = 10;
  const files = Array.from({ length: apps }, (_, i) => `app-${i}.yaml`);
  for (let i = 0; i < apps; i++) await write(join(root, "base", files[i]), app(i));
  await write(
    join(root, "base/kustomization.yaml"),
    `resources:
${files.map((f) => `- ${f}`).join("\n")}
configMapGenerator:
- name: shared-config
  literals: [LOG_LEVEL=info, REGION=none]
secretGenerator:
- name: shared-secret
  literals: [password=changeme]
patches:
- target: {kind: Deployment}
  patch: |-
    - op: add
      path: /spec/template/metadata/annotations
      value: {prometheus.io/scrape: "true"}
`,
  );
  await write(
    join(root, "shared/kustomization.yaml"),
    `resources: [../base]
commonAnnotations:
  team: platform
configMapGenerator:
- name: shared-config
  behavior: merge
  literals: [LOG_LEVEL=warn]
`,
  );
  for (let r = 0; r < 4; r++) {
    await write(
      join(root, `region-${r}/kustomization.yaml`),
      `resources: [../shared]
labels:
- pairs: {region: r${r}}
  includeSelectors: false
patches:
- target: {kind: Deployment}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
    spec:
      template:
        spec:
          containers:
          - name: main
            env:
            - name: REGION
              value: r${r}
`,
    );
  }
  const names: string[] = [];
  for (let e = 0; e < overlays; e++) {
    const name = `env-${e}`;
    names.push(name);
    await write(
      join(root, `envs/${name}/kustomization.yaml`),
      `resources: [../../region-${e % 4}]
namespace: ns-${e}
namePrefix: e${e}-
images:
- name: registry.example.com/team/app-1
  newTag: "2.${e}"
replicas:
- name: app-0
  count: ${(e % 5) + 1}
configMapGenerator:
- name: shared-config
  behavior: merge
  literals: [ENV=${name}]
`,
    );
  }
  await write(
    join(root, "envs/kustomization.yaml"),
    `resources:\n${names.map((n) => `- ${n}`).join("\n")}\n`,
  );
  return join(root, "envs");
}
