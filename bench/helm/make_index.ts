// Writes a Bitnami-sized Helm repository index (about `targetBytes`) in the form Helm writes it:
// many charts, each with many versions carrying descriptions, maintainers, dependencies, URLs
// and digests. Two small charts, `wanted-a` and `wanted-b`, are buried in the middle.
export async function writeBigIndex(path: string, targetBytes = 30 * 1024 * 1024): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let written = 0;
  const write = async (s: string) => {
    const b = enc.encode(s);
    written += b.length;
    await file.write(b);
  };
  await write("apiVersion: v1\nentries:\n");
  const versionBlock = (name: string, v: string) =>
    `  - annotations:
      category: Database
      images: |
        - name: ${name}
          image: docker.io/bitnami/${name}:${v}-debian-12-r0
      licenses: Apache-2.0
    apiVersion: v2
    appVersion: ${v}
    created: "2024-05-0${(v.length % 9) + 1}T10:11:12.123456789Z"
    dependencies:
    - name: common
      repository: oci://registry-1.docker.io/bitnamicharts
      tags:
      - bitnami-common
      version: 2.x.x
    description: ${name} is an open source, advanced key-value store. It is often referred
      to as a data structure server since keys can contain strings, hashes, lists, sets
      and sorted sets.
    digest: ${"0123456789abcdef".repeat(4)}
    home: https://bitnami.com
    icon: https://bitnami.com/assets/stacks/${name}/img/${name}-stack-220x234.png
    keywords:
    - ${name}
    - keyvalue
    - database
    maintainers:
    - name: Broadcom, Inc. All Rights Reserved.
      url: https://github.com/bitnami/charts
    name: ${name}
    sources:
    - https://github.com/bitnami/charts/tree/main/bitnami/${name}
    urls:
    - https://charts.bitnami.com/bitnami/${name}-${v}.tgz
    version: ${v}
`;
  let chart = 0;
  let buriedDone = false;
  while (written < targetBytes) {
    const name = `chart-${chart++}`;
    await write(`  ${name}:\n`);
    for (let major = 0; major < 20; major++) {
      for (let minor = 0; minor < 10; minor++) {
        await write(versionBlock(name, `${major}.${minor}.${chart % 7}`));
      }
    }
    if (!buriedDone && written > targetBytes / 2) {
      buriedDone = true;
      for (const w of ["wanted-a", "wanted-b"]) {
        await write(`  ${w}:\n`);
        for (let minor = 0; minor < 5; minor++) await write(versionBlock(w, `1.${minor}.0`));
      }
    }
  }
  await write(`generated: "2024-05-01T00:00:00Z"\n`);
  file.close();
  return written;
}
