// The seed's repository layout for image automation tests: a Kustomize base whose Deployment
// carries a full-image setter, and a production overlay whose `images:` entry carries a tag
// setter, both for the ImagePolicy flux-system/payment-api.

/** The files of the repository, with `image` (no tag) as the payment-api image. */
export function seedFleetFiles(image: string, tag = "1.0.0"): Record<string, string> {
  return {
    "deploy/base/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
`,
    "deploy/base/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payment-api
  labels: { app: payment-api }
spec:
  replicas: 1
  selector:
    matchLabels: { app: payment-api }
  template:
    metadata:
      labels: { app: payment-api }
    spec:
      containers:
        - name: payment-api
          # the image is kept current by skiff
          image: ${image}:${tag} # {"$imagepolicy": "flux-system:payment-api"}
          ports:
            - containerPort: 8080
`,
    "deploy/overlays/production/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: production
resources:
  - ../../base
images:
  - name: ${image}
    newTag: "${tag}" # {"$imagepolicy": "flux-system:payment-api:tag"}
`,
    "README.md": "# fleet\n",
  };
}
