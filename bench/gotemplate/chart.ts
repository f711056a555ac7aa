// A chart-shaped template set for the benchmark: a _helpers.tpl in the style of `helm create`
// and Bitnami charts, and 40 manifests that include the helpers, range over values, and call
// the usual Sprig functions.

export const VALUES = `
nameOverride: ""
fullnameOverride: ""
replicaCount: 3
image: {repository: nginx, tag: "1.25.3", pullPolicy: IfNotPresent}
serviceAccount: {create: true, name: "", annotations: {team: web}}
podAnnotations: {prometheus.io/scrape: "true", prometheus.io/port: "9090"}
service: {type: ClusterIP, port: 80, targetPort: 8080}
resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 100m, memory: 128Mi}}
env: {LOG_LEVEL: info, FEATURE_X: "on", REGION: eu-west-1, MODE: production}
ports: [{name: http, port: 8080}, {name: metrics, port: 9090}, {name: admin, port: 9443}]
ingress: {enabled: true, hosts: [{host: a.example.com, paths: [/, /api]}, {host: b.example.com, paths: [/]}]}
release: {name: my-release, namespace: prod, service: Helm}
chart: {name: web, version: 1.4.2, appVersion: "2.0.1"}
`;

export const HELPERS = `
{{- define "web.name" -}}
{{- default .Values.chart.name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "web.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Values.chart.name .Values.nameOverride }}
{{- if contains $name .Values.release.name }}
{{- .Values.release.name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Values.release.name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "web.chart" -}}
{{- printf "%s-%s" .Values.chart.name .Values.chart.version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "web.selectorLabels" -}}
app.kubernetes.io/name: {{ include "web.name" . }}
app.kubernetes.io/instance: {{ .Values.release.name }}
{{- end }}

{{- define "web.labels" -}}
helm.sh/chart: {{ include "web.chart" . }}
{{ include "web.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.chart.appVersion | quote }}
app.kubernetes.io/managed-by: {{ .Values.release.service }}
{{- end }}

{{- define "web.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "web.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
`;

function manifest(i: number): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}-${i}
  namespace: {{ .Values.release.namespace }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "web.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      annotations:
        checksum/config: {{ printf "%v" .Values.env | sha256sum | trunc 16 }}
        {{- range $k, $v := .Values.podAnnotations }}
        {{ $k }}: {{ $v | quote }}
        {{- end }}
      labels:
        {{- include "web.selectorLabels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "web.serviceAccountName" . }}
      containers:
        - name: {{ .Values.chart.name }}-${i}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Values.chart.appVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
          {{- range .Values.ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
          {{- end }}
          env:
          {{- range $k, $v := .Values.env }}
            - name: {{ $k | upper }}
              value: {{ $v | quote }}
          {{- end }}
          resources:
            limits:
              cpu: {{ .Values.resources.limits.cpu }}
              memory: {{ .Values.resources.limits.memory }}
{{- if .Values.ingress.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "web.fullname" . }}-${i}
spec:
  rules:
  {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
        {{- range .paths }}
          - path: {{ . }}
            pathType: {{ ternary "Exact" "Prefix" (eq . "/api") }}
        {{- end }}
  {{- end }}
{{- end }}
`;
}

/** The templates, by name (as Helm names chart files). */
export function chartTemplates(): Record<string, string> {
  const out: Record<string, string> = { "web/templates/_helpers.tpl": HELPERS };
  for (let i = 0; i < 40; i++) out[`web/templates/manifest-${i}.yaml`] = manifest(i);
  return out;
}
