// The `Table` rendering kubectl asks for (Accept: application/json;as=Table;g=meta.k8s.io;v=v1):
// a Name and Age column for everything, the familiar extra columns for a few built-ins, and the
// additionalPrinterColumns of CRDs.
import type { ResourceType } from "./catalog.ts";
import { meta, specOf, statusOf } from "./objects.ts";
import { isObject, type JsonObject } from "./ssa/typed.ts";

export function wantsTable(accept: string | null): boolean {
  return !!accept && /as=Table/.test(accept.split(",")[0]);
}

interface Column {
  name: string;
  type: string;
  format?: string;
  cell: (o: JsonObject) => unknown;
  priority?: number;
}

/** kubectl's short durations: 45s, 5m, 3h, 2d. */
export function humanAge(created: unknown, now = Date.now()): string {
  if (typeof created !== "string") return "<unknown>";
  const s = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const age: Column = {
  name: "Age",
  type: "string",
  cell: (o) => humanAge(meta(o).creationTimestamp),
};

function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function builtInColumns(rt: ResourceType): Column[] {
  switch (`${rt.group}/${rt.kind}`) {
    case "apps/Deployment":
      return [
        {
          name: "Ready",
          type: "string",
          cell: (o) => `${num(statusOf(o).readyReplicas)}/${num(specOf(o).replicas)}`,
        },
        { name: "Up-to-date", type: "integer", cell: (o) => num(statusOf(o).updatedReplicas) },
        { name: "Available", type: "integer", cell: (o) => num(statusOf(o).availableReplicas) },
        age,
      ];
    case "apps/ReplicaSet":
      return [
        { name: "Desired", type: "integer", cell: (o) => num(specOf(o).replicas) },
        { name: "Current", type: "integer", cell: (o) => num(statusOf(o).replicas) },
        { name: "Ready", type: "integer", cell: (o) => num(statusOf(o).readyReplicas) },
        age,
      ];
    case "apps/StatefulSet":
      return [
        {
          name: "Ready",
          type: "string",
          cell: (o) => `${num(statusOf(o).readyReplicas)}/${num(specOf(o).replicas)}`,
        },
        age,
      ];
    case "/Node":
      return [
        { name: "Status", type: "string", cell: (o) => nodeStatus(o) },
        { name: "Roles", type: "string", cell: (o) => nodeRoles(o) },
        age,
        {
          name: "Version",
          type: "string",
          cell: (o) => (statusOf(o).nodeInfo as JsonObject | undefined)?.kubeletVersion ?? "",
        },
      ];
    case "/Pod":
      return [
        { name: "Ready", type: "string", cell: (o) => podReady(o) },
        { name: "Status", type: "string", cell: (o) => statusOf(o).phase ?? "Pending" },
        { name: "Restarts", type: "string", cell: () => "0" },
        age,
      ];
    case "/Namespace":
      return [{ name: "Status", type: "string", cell: (o) => statusOf(o).phase ?? "" }, age];
    case "/ConfigMap":
      return [{
        name: "Data",
        type: "integer",
        cell: (o) =>
          Object.keys(isObject(o.data) ? o.data : {}).length +
          Object.keys(isObject(o.binaryData) ? o.binaryData : {}).length,
      }, age];
    case "/Secret":
      return [
        { name: "Type", type: "string", cell: (o) => o.type ?? "" },
        {
          name: "Data",
          type: "integer",
          cell: (o) => Object.keys(isObject(o.data) ? o.data : {}).length,
        },
        age,
      ];
    case "/Service":
      return [
        { name: "Type", type: "string", cell: (o) => specOf(o).type ?? "" },
        { name: "Cluster-IP", type: "string", cell: (o) => specOf(o).clusterIP ?? "" },
        { name: "External-IP", type: "string", cell: (o) => externalIP(o) },
        { name: "Port(s)", type: "string", cell: (o) => ports(o) },
        age,
      ];
    case "batch/Job":
      return [
        { name: "Status", type: "string", cell: (o) => jobStatus(o) },
        {
          name: "Completions",
          type: "string",
          cell: (o) => `${num(statusOf(o).succeeded)}/${num(specOf(o).completions)}`,
        },
        age,
      ];
    default:
      return [age];
  }
}

function nodeStatus(o: JsonObject): string {
  const conds = statusOf(o).conditions;
  const ready = Array.isArray(conds)
    ? conds.find((c) => isObject(c) && c.type === "Ready") as JsonObject | undefined
    : undefined;
  return ready?.status === "True" ? "Ready" : "NotReady";
}

function nodeRoles(o: JsonObject): string {
  const labels = (meta(o).labels ?? {}) as Record<string, string>;
  const roles = Object.keys(labels).filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return roles.length > 0 ? roles.sort().join(",") : "<none>";
}

function podReady(o: JsonObject): string {
  const containers = Array.isArray(specOf(o).containers)
    ? specOf(o).containers as JsonObject[]
    : [];
  const statuses = Array.isArray(statusOf(o).containerStatuses)
    ? statusOf(o).containerStatuses as JsonObject[]
    : [];
  return `${statuses.filter((s) => s.ready === true).length}/${containers.length}`;
}

function externalIP(o: JsonObject): string {
  const ingress = (statusOf(o).loadBalancer as JsonObject | undefined)?.ingress;
  if (Array.isArray(ingress) && ingress.length > 0) {
    return ingress.map((i) => (isObject(i) ? i.ip ?? i.hostname : "")).join(",");
  }
  return specOf(o).type === "LoadBalancer" ? "<pending>" : "<none>";
}

function ports(o: JsonObject): string {
  const ps = specOf(o).ports;
  if (!Array.isArray(ps) || ps.length === 0) return "<none>";
  return ps.map((p) => {
    if (!isObject(p)) return "";
    const node = p.nodePort ? `:${p.nodePort}` : "";
    return `${p.port}${node}/${p.protocol ?? "TCP"}`;
  }).join(",");
}

function jobStatus(o: JsonObject): string {
  const conds = statusOf(o).conditions;
  if (Array.isArray(conds)) {
    for (const c of conds) {
      if (isObject(c) && c.status === "True" && (c.type === "Complete" || c.type === "Failed")) {
        return c.type;
      }
    }
  }
  return "Running";
}

/** A minimal JSONPath for printer columns: `.spec.replicas`, `.status.conditions[0].type`. */
function jsonPath(o: JsonObject, path: string): unknown {
  let cur: unknown = o;
  const parts = path.replace(/^\{?\.?/, "").replace(/\}$/, "").split(/\.|\[(\d+)\]/).filter((p) =>
    p !== undefined && p !== ""
  );
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function crdColumns(rt: ResourceType, printerColumns: JsonObject[]): Column[] {
  void rt;
  if (printerColumns.length === 0) {
    return [{
      name: "Created At",
      type: "date",
      cell: (o) => meta(o).creationTimestamp,
    }];
  }
  const cols: Column[] = printerColumns.map((c) => ({
    name: String(c.name),
    type: String(c.type ?? "string"),
    format: c.format ? String(c.format) : undefined,
    priority: typeof c.priority === "number" ? c.priority : 0,
    cell: (o: JsonObject) => {
      const v = jsonPath(o, String(c.jsonPath ?? ""));
      if (c.type === "date") return v;
      return v === undefined ? "" : isObject(v) || Array.isArray(v) ? JSON.stringify(v) : v;
    },
  }));
  if (!printerColumns.some((c) => c.name === "Age")) cols.push(age);
  return cols;
}

export function toTable(
  rt: ResourceType,
  items: JsonObject[],
  resourceVersion: string,
  includeObject: string | null,
  printerColumns: JsonObject[] | undefined,
  continueToken?: string,
): JsonObject {
  const cols: Column[] = [
    { name: "Name", type: "string", format: "name", cell: (o) => meta(o).name },
    ...(rt.crdName ? crdColumns(rt, printerColumns ?? []) : builtInColumns(rt)),
  ];
  const listMeta: JsonObject = { resourceVersion };
  if (continueToken) listMeta.continue = continueToken;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => ({
      cells: cols.map((c) => (c.cell(o) ?? "") as JsonObject[string]),
      object: includeObject === "Object" ? o : includeObject === "None" ? null : {
        kind: "PartialObjectMetadata",
        apiVersion: "meta.k8s.io/v1",
        metadata: o.metadata as JsonObject,
      },
    })),
  };
}
