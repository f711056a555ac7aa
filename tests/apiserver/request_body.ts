// Reading requests: bodies in JSON, YAML or Kubernetes protobuf, the patch type from the
// Content-Type, the field manager from the User-Agent, and DeleteOptions.
import { parseOne } from "../../lib/yaml/mod.ts";
import type { DeleteOptions, PatchType } from "./api.ts";
import type { ResourceType } from "./catalog.ts";
import { decodeEnvelope, messageNameOf } from "./protobuf/decode.ts";
import { isObject } from "./ssa/typed.ts";
import { ApiError, badRequest } from "./status.ts";

export function managerFromUserAgent(ua: string | null): string {
  if (!ua) return "unknown";
  const first = ua.split("/")[0].trim();
  return first.slice(0, 128) || "unknown";
}

export function patchTypeOf(contentType: string | null): PatchType | undefined {
  const ct = (contentType ?? "").split(";")[0].trim();
  switch (ct) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
  }
  return undefined;
}

export async function readBody(req: Request, yaml = false, rt?: ResourceType): Promise<unknown> {
  const ct = req.headers.get("content-type") ?? "";
  if (ct.includes("application/vnd.kubernetes.protobuf") && rt) {
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.length === 0) return undefined;
    const definition = rt.definition;
    if (!definition) {
      throw new ApiError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
      );
    }
    try {
      return decodeEnvelope(bytes, messageNameOf(definition)).object;
    } catch (e) {
      throw badRequest(
        `error decoding the protobuf request body: ${e instanceof Error ? e.message : e}`,
      );
    }
  }
  const text = await req.text();
  if (text.trim() === "") return undefined;
  if (ct.includes("protobuf") || ct.includes("cbor")) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  try {
    if (yaml || ct.includes("yaml")) return parseOne(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding the request body: ${e instanceof Error ? e.message : e}`);
  }
}

export function deleteOptions(body: unknown, params: URLSearchParams): DeleteOptions {
  const b = isObject(body) ? body : {};
  const dryRun = [...params.getAll("dryRun"), ...((b.dryRun as string[] | undefined) ?? [])];
  const policy = (params.get("propagationPolicy") ?? b.propagationPolicy) as
    | DeleteOptions["propagationPolicy"]
    | undefined;
  if (policy && !["Foreground", "Background", "Orphan"].includes(policy)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const orphan = b.orphanDependents === true ? "Orphan" : undefined;
  const pre = isObject(b.preconditions) ? b.preconditions : undefined;
  return {
    dryRun: dryRun.length > 0,
    propagationPolicy: policy ?? orphan,
    preconditions: pre
      ? {
        uid: pre.uid as string | undefined,
        resourceVersion: pre.resourceVersion as string | undefined,
      }
      : undefined,
    gracePeriodSeconds: b.gracePeriodSeconds as number | undefined,
  };
}
