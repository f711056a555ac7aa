// Building API paths and query strings from a resource, a namespace and options.
import type { ResourceInfo } from "../discovery/mod.ts";

export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.group === "" ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const tail = name !== undefined ? `/${encodeURIComponent(name)}` : "";
  return `${base}${ns}/${info.resource}${tail}`;
}

export type QueryValue = string | number | boolean | undefined;

export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
