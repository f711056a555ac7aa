// The benchmark chart: 40 templates (8 components × Deployment, Service, ConfigMap, HPA,
// Ingress) sharing helpers in _helpers.tpl, shaped like `helm create` output.

const HELPERS = `{{/* Expand the name of the chart. */}}
{{- define "bench.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bench.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bench.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bench.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bench.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "bench.labels" -}}
helm.sh/chart: {{ include "bench.chart" . }}
{{ include "bench.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
`;

function deployment(c: string): string {
  return `{{- $c := .Values.components.${c} }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bench.fullname" . }}-${c}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
    component: ${c}
spec:
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "bench.selectorLabels" . | nindent 6 }}
      component: ${c}
  template:
    metadata:
      {{- with $c.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      labels:
        {{- include "bench.selectorLabels" . | nindent 8 }}
        component: ${c}
    spec:
      securityContext:
        {{- toYaml $c.podSecurityContext | nindent 8 }}
      containers:
        - name: ${c}
          image: "{{ $c.image.repository }}:{{ $c.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ $c.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $c.service.port }}
              protocol: TCP
          env:
            {{- range $k, $v := $c.env }}
            - name: {{ $k | upper }}
              value: {{ $v | quote }}
            {{- end }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
`;
}

function service(c: string): string {
  return `{{- $c := .Values.components.${c} }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "bench.fullname" . }}-${c}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  type: {{ $c.service.type }}
  ports:
    - port: {{ $c.service.port }}
      targetPort: http
      protocol: TCP
      name: http
  selector:
    {{- include "bench.selectorLabels" . | nindent 4 }}
    component: ${c}
`;
}

function configmap(c: string): string {
  return `{{- $c := .Values.components.${c} }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "bench.fullname" . }}-${c}-config
  labels:
    {{- include "bench.labels" . | nindent 4 }}
data:
  settings.yaml: |
    {{- toYaml $c.settings | nindent 4 }}
  {{- range $i, $f := $c.features }}
  feature-{{ $i }}: {{ $f | quote }}
  {{- end }}
`;
}

function hpa(c: string): string {
  return `{{- $c := .Values.components.${c} }}
{{- if $c.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "bench.fullname" . }}-${c}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "bench.fullname" . }}-${c}
  minReplicas: {{ $c.autoscaling.minReplicas }}
  maxReplicas: {{ $c.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $c.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
`;
}

function ingress(c: string): string {
  return `{{- $c := .Values.components.${c} }}
{{- if $c.ingress.enabled -}}
{{- $fullName := printf "%s-%s" (include "bench.fullname" .) "${c}" -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullName }}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
  {{- with $c.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if $c.ingress.tls }}
  tls:
    {{- range $c.ingress.tls }}
    - hosts:
        {{- range .hosts }}
        - {{ . | quote }}
        {{- end }}
      secretName: {{ .secretName }}
    {{- end }}
  {{- end }}
  rules:
    {{- range $c.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            pathType: {{ .pathType }}
            backend:
              service:
                name: {{ $fullName }}
                port:
                  number: {{ $c.service.port }}
          {{- end }}
    {{- end }}
{{- end }}
`;
}

export const COMPONENTS = ["api", "web", "worker", "cache", "gateway", "auth", "search", "billing"];

function componentValues(c: string, i: number): string {
  return `  ${c}:
    replicaCount: ${i + 1}
    image:
      repository: registry.example.com/bench/${c}
      pullPolicy: IfNotPresent
      tag: "1.${i}.0"
    podAnnotations:
      prometheus.io/scrape: "true"
      prometheus.io/port: "9090"
    podSecurityContext:
      runAsNonRoot: true
      runAsUser: 1000
      fsGroup: 2000
    service:
      type: ClusterIP
      port: ${8080 + i}
    env:
      log_level: info
      component: ${c}
      timeout: "30s"
    resources:
      limits:
        cpu: 500m
        memory: 256Mi
      requests:
        cpu: 100m
        memory: 128Mi
    autoscaling:
      enabled: ${i % 2 === 0}
      minReplicas: 2
      maxReplicas: 10
      targetCPUUtilizationPercentage: 80
    ingress:
      enabled: ${i % 3 !== 2}
      annotations:
        nginx.ingress.kubernetes.io/rewrite-target: /
      hosts:
        - host: ${c}.example.com
          paths:
            - path: /
              pathType: Prefix
      tls:
        - secretName: ${c}-tls
          hosts:
            - ${c}.example.com
    settings:
      cache:
        size: 512
        ttl: 60
      upstreams:
        - http://a.internal:80
        - http://b.internal:80
    features: [alpha, beta, gamma]
`;
}

/** Writes the benchmark chart into `dir` (created). */
export async function writeBenchChart(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/templates`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/Chart.yaml`,
    'apiVersion: v2\nname: bench\ndescription: benchmark chart\ntype: application\nversion: 1.2.3\nappVersion: "4.5.6"\n',
  );
  await Deno.writeTextFile(
    `${dir}/values.yaml`,
    `nameOverride: ""\nfullnameOverride: ""\ncomponents:\n${
      COMPONENTS.map(componentValues).join("")
    }`,
  );
  await Deno.writeTextFile(`${dir}/templates/_helpers.tpl`, HELPERS);
  for (const c of COMPONENTS) {
    await Deno.writeTextFile(`${dir}/templates/${c}-deployment.yaml`, deployment(c));
    await Deno.writeTextFile(`${dir}/templates/${c}-service.yaml`, service(c));
    await Deno.writeTextFile(`${dir}/templates/${c}-configmap.yaml`, configmap(c));
    await Deno.writeTextFile(`${dir}/templates/${c}-hpa.yaml`, hpa(c));
    await Deno.writeTextFile(`${dir}/templates/${c}-ingress.yaml`, ingress(c));
  }
}
