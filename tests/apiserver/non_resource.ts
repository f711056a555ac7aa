// The paths that are not resources: health, /version, discovery and OpenAPI documents.
import type { Catalog } from "./catalog.ts";
import {
  aggregated,
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from "./discovery.ts";
import { v2Json, v2Protobuf, v3Document, v3Root } from "./openapi.ts";
import { ApiError } from "./status.ts";

const JSON_TYPE = "application/json";

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_TYPE, ...headers },
  });
}

export async function serveNonResource(
  rawPath: string,
  accept: string | null,
  catalog: Catalog,
  serverAddress: string,
): Promise<Response> {
  const path = rawPath.replace(/\/$/, "") || "/";
  if (path === "/healthz" || path === "/livez" || path === "/readyz") {
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  }
  if (path === "/version") {
    return json({
      major: "1",
      minor: "34",
      emulationMajor: "1",
      emulationMinor: "34",
      gitVersion: "v1.34.0",
      gitCommit: "0000000000000000000000000000000000000000",
      gitTreeState: "clean",
      buildDate: "2025-08-27T00:00:00Z",
      goVersion: "go1.24.6",
      compiler: "gc",
      platform: "linux/amd64",
    });
  }
  if (path === "/api" || path === "/apis") {
    const agg = wantsAggregated(accept);
    if (agg) {
      return json(aggregated(catalog, path === "/api", agg), 200, {
        "content-type": agg === "v2" ? AGGREGATED_V2 : AGGREGATED_V2BETA1,
        vary: "Accept",
      });
    }
    return json(path === "/api" ? apiVersions(serverAddress) : apiGroupList(catalog));
  }
  const apisGroup = path.match(/^\/apis\/([^/]+)$/);
  if (apisGroup) {
    const g = apiGroup(catalog, apisGroup[1]);
    if (g) return json(g);
  }
  const gv = path.match(/^\/api\/(v1)$/) ?? path.match(/^\/apis\/([^/]+\/[^/]+)$/);
  if (gv) {
    const [group, version] = gv[1].includes("/") ? gv[1].split("/") : ["", gv[1]];
    const list = apiResourceList(catalog, group, version);
    if (list) return json(list);
  }
  if (path === "/openapi/v3") return json(await v3Root(catalog));
  if (path.startsWith("/openapi/v3/")) {
    const doc = v3Document(catalog, path.slice("/openapi/v3/".length));
    if (doc) {
      return new Response(doc as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": JSON_TYPE, "cache-control": "public, immutable" },
      });
    }
  }
  if (path === "/openapi/v2") {
    if (accept && accept.includes("protobuf") && !accept.includes("application/json")) {
      const pb = v2Protobuf();
      if (!pb) {
        throw new ApiError(
          406,
          "NotAcceptable",
          "only application/json is served for /openapi/v2",
        );
      }
      return new Response(pb as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" },
      });
    }
    return new Response(v2Json() as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": JSON_TYPE },
    });
  }
  throw new ApiError(404, "NotFound", "the server could not find the requested resource");
}
