// One stateless smart-HTTP exchange, as fetch and push both make it: POST the request to
// git-upload-pack or git-receive-pack and read the reply as pkt-lines.
import type { HttpClient } from "../transport/types.ts";
import { checkStatus, type Service } from "./discovery.ts";
import { PktReader } from "./pkt_line.ts";

export async function requestService(
  http: HttpClient,
  url: string,
  service: Service,
  body: Uint8Array,
  where: string,
): Promise<PktReader> {
  const response = await http.request({
    url: `${url.replace(/\/$/, "")}/${service}`,
    method: "POST",
    headers: {
      "content-type": `application/x-${service}-request`,
      accept: `application/x-${service}-result`,
      "user-agent": "git/skiff",
      "content-length": String(body.length),
    },
    body: (async function* () {
      yield body;
    })(),
  });
  checkStatus(response.statusCode, response.statusMessage, where);
  return new PktReader(response.body ?? (async function* () {})(), where);
}
