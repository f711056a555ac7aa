import zlib from "node:zlib";
const data = new TextEncoder().encode("hello world ".repeat(100));
const c = zlib.deflateSync(data);
const withTrail = new Uint8Array(c.length + 50); withTrail.set(c); withTrail.fill(7, c.length);
const out = zlib.inflateSync(withTrail);
console.log(out.length, c.length);
// find consumed bytes?
const inf = zlib.inflateSync(withTrail, { info: true } as any) as any;
console.log(Object.keys(inf), inf.engine?.bytesWritten);
let t = performance.now();
for (let i = 0; i < 20000; i++) zlib.inflateSync(withTrail);
console.log("20k inflates ms", performance.now() - t);
