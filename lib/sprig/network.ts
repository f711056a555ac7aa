// getHostByName. Templates run synchronously and Deno has no synchronous resolver, so names are
// answered from /etc/hosts (and "localhost"); anything else fails the way Go's Sprig fails when
// the lookup returns nothing (offline clusters, CI): `invalid argument to Intn`.
import { type FuncMap, GoPanic, typed } from "../gotemplate/mod.ts";

function hostsFile(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let text = "";
  try {
    text = Deno.readTextFileSync("/etc/hosts");
  } catch {
    return map;
  }
  for (const line of text.split("\n")) {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    if (fields.length < 2) continue;
    for (const name of fields.slice(1)) {
      const list = map.get(name.toLowerCase()) ?? [];
      list.push(fields[0]);
      map.set(name.toLowerCase(), list);
    }
  }
  return map;
}

function getHostByName(name: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return name;
  const addrs = hostsFile().get(name.toLowerCase()) ??
    (name.toLowerCase() === "localhost" ? ["127.0.0.1"] : []);
  if (addrs.length === 0) throw new GoPanic("invalid argument to Intn");
  return addrs[Math.floor(Math.random() * addrs.length)];
}

export const networkFuncs: FuncMap = {
  getHostByName: typed(["string"], getHostByName),
};
