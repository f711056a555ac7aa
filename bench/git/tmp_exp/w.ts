const base = "/tmp/wtest";
await Deno.remove(base, { recursive: true }).catch(() => {});
const data = new TextEncoder().encode("x".repeat(800));
for (const mode of ["seq", "par64", "sync", "link"]) {
  const dir = `${base}/${mode}`;
  const t = performance.now();
  for (let d = 0; d < 50; d++) Deno.mkdirSync(`${dir}/d${d}`, { recursive: true });
  const pending: Promise<void>[] = [];
  for (let i = 0; i < 10000; i++) {
    const p = `${dir}/d${i % 50}/f${i}.yaml`;
    if (mode === "seq") await Deno.writeFile(p, data);
    else if (mode === "sync") Deno.writeFileSync(p, data);
    else if (mode === "link") Deno.linkSync(`${base}/sync/d${i % 50}/f${i}.yaml`, p);
    else { pending.push(Deno.writeFile(p, data)); if (pending.length >= 64) await Promise.all(pending.splice(0)); }
  }
  await Promise.all(pending);
  console.log(mode, (performance.now() - t).toFixed(0));
}
