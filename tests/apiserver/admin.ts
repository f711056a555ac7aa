// The admin endpoint for other processes (kubectl-driven tests, an agent in a subprocess):
//   GET  /_emulator/stats            request/write counters
//   POST /_emulator/stats/reset
//   GET  /_emulator/faults           the fault rules and their counters
//   POST /_emulator/faults           add a FaultRule (JSON body), returns {id}
//   DELETE /_emulator/faults[/ID]    remove one or all rules
//   POST /_emulator/tokens           {user, groups} -> {token}
//   POST /_emulator/compact          forget watch history (next watches from old versions get 410)
//   POST /_emulator/snapshot         write the snapshot file now
import type { Authenticator } from "./auth/authn.ts";
import type { FaultRule, Faults } from "./faults.ts";
import type { Stats } from "./server.ts";
import type { ObjectStore } from "./store.ts";

export interface AdminParts {
  stats: Stats;
  faults: Faults;
  authn: Authenticator;
  store: ObjectStore;
  snapshot: () => Promise<void>;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

export async function handleAdmin(p: AdminParts, req: Request, url: URL): Promise<Response> {
  const path = url.pathname.replace(/\/$/, "");
  const method = req.method;
  if (path === "/_emulator/stats" && method === "GET") return json(p.stats);
  if (path === "/_emulator/stats/reset" && method === "POST") {
    p.stats.requests = 0;
    p.stats.writes = 0;
    for (const k of Object.keys(p.stats.byVerb)) delete p.stats.byVerb[k];
    return json(p.stats);
  }
  if (path === "/_emulator/faults" && method === "GET") return json(p.faults.list());
  if (path === "/_emulator/faults" && method === "POST") {
    const rule = await req.json() as FaultRule;
    return json({ id: p.faults.add(rule) }, 201);
  }
  if (path === "/_emulator/faults" && method === "DELETE") {
    p.faults.clear();
    return json({});
  }
  const one = path.match(/^\/_emulator\/faults\/([^/]+)$/);
  if (one && method === "DELETE") {
    p.faults.remove(one[1]);
    return json({});
  }
  if (path === "/_emulator/tokens" && method === "POST") {
    const { user, groups } = await req.json() as { user: string; groups?: string[] };
    return json({ token: p.authn.tokenFor(user, groups ?? []) }, 201);
  }
  if (path === "/_emulator/compact" && method === "POST") {
    p.store.compact();
    return json({ resourceVersion: p.store.resourceVersion });
  }
  if (path === "/_emulator/snapshot" && method === "POST") {
    await p.snapshot();
    return json({});
  }
  return json({ message: `no admin endpoint ${method} ${path}` }, 404);
}
