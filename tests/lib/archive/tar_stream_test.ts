import assert from "node:assert/strict";
import {
  ArchiveError,
  DEFAULT_ARCHIVE_LIMITS,
  readTar,
  readTarStream,
  readTgzStream,
} from "../../../lib/archive/mod.ts";
import { gzip, tar, type TarEntry } from "../../support/tar_writer.ts";
import { tempDir } from "../../support/process.ts";

interface Read {
  name: string;
  mode: number;
  data: string;
}

/** Reads `bytes` through readTarStream, fed as the given chunks. */
async function streamed(
  chunks: Uint8Array[],
  limits = DEFAULT_ARCHIVE_LIMITS,
): Promise<Read[]> {
  const out: Read[] = [];
  const decoder = new TextDecoder();
  await readTarStream(
    chunks.values(),
    limits,
    "t",
    async (e, body) => {
      const parts: string[] = [];
      for await (const c of body) parts.push(decoder.decode(c, { stream: true }));
      out.push({ name: e.name, mode: e.mode, data: parts.join("") + decoder.decode() });
    },
  );
  return out;
}

function whole(bytes: Uint8Array, limits = DEFAULT_ARCHIVE_LIMITS): Read[] {
  const decoder = new TextDecoder();
  return readTar(bytes, limits, "t").map((e) => ({
    name: e.name,
    mode: e.mode ?? 0,
    data: decoder.decode(e.data),
  }));
}

function pax(records: Record<string, string>): Uint8Array {
  let text = "";
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let n = body.length + 1;
    while (`${n}${body}`.length !== n) n = `${n}${body}`.length;
    text += `${n}${body}`;
  }
  return new TextEncoder().encode(text);
}

const longPath = `deep/${"d".repeat(60)}/${"e".repeat(60)}/file.yaml`;
const fixture: TarEntry[] = [
  { name: "PaxHeaders/x", type: "x", data: pax({ path: longPath }) },
  { name: "ignored-by-pax.yaml", data: "pax: yes\n" },
  { name: `gnu/${"g".repeat(120)}.yaml`, data: "gnu: long\n" },
  { name: "dir/", type: "5" },
  { name: "empty.yaml", data: "" },
  { name: "one", data: "x" },
  { name: "block", data: "b".repeat(511) },
  { name: "exact", data: "c".repeat(512) },
  { name: "over", data: "d".repeat(513) },
  { name: "dir/last.yaml", data: "e".repeat(1500) },
];

Deno.test("entries split across chunks at every offset read as readTar reads them", async () => {
  const bytes = tar(fixture);
  const expected = whole(bytes);
  assert.equal(expected[0].name, longPath);
  assert.equal(expected.length, 8);
  for (let at = 0; at <= bytes.length; at++) {
    const got = await streamed([bytes.subarray(0, at), bytes.subarray(at)]);
    assert.deepEqual(got, expected, `split at ${at}`);
  }
  // Three chunks, at every pair of offsets one block apart and odd.
  for (let at = 1; at + 700 < bytes.length; at += 97) {
    const got = await streamed([
      bytes.subarray(0, at),
      bytes.subarray(at, at + 700),
      bytes.subarray(at + 700),
    ]);
    assert.deepEqual(got, expected, `split at ${at} and ${at + 700}`);
  }
  const bytewise = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  assert.deepEqual(await streamed(bytewise), expected);
});

Deno.test("GNU tar's PAX archives read with their long names and modes", async () => {
  const dir = await tempDir("skiff-tar-stream-");
  try {
    const long = `${"a".repeat(90)}/${"b".repeat(90)}/run.sh`;
    await Deno.mkdir(`${dir.path}/src/${long.slice(0, long.lastIndexOf("/"))}`, {
      recursive: true,
    });
    await Deno.writeTextFile(`${dir.path}/src/${long}`, "#!/bin/sh\n", { mode: 0o755 });
    await Deno.chmod(`${dir.path}/src/${long}`, 0o755);
    const out = await new Deno.Command("tar", {
      args: ["--format=pax", "-cf", "-", "-C", `${dir.path}/src`, "."],
      stdout: "piped",
    }).output();
    assert.ok(out.success);
    const got = await streamed([out.stdout.subarray(0, 700), out.stdout.subarray(700)]);
    assert.deepEqual(got, [{ name: `./${long}`, mode: 0o755, data: "#!/bin/sh\n" }]);
  } finally {
    await dir.remove();
  }
});

Deno.test("hostile entries and limits are refused with readTar's reasons", async () => {
  const limits = { maxFiles: 3, maxFileBytes: 100, maxTotalBytes: 250 };
  const cases: TarEntry[][] = [
    [{ name: "../escape", data: "x" }],
    [{ name: "/etc/passwd", data: "x" }],
    [{ name: "C:/windows", data: "x" }],
    [{ name: "PaxHeaders/x", type: "x", data: pax({ path: "a/../../b" }) }, { name: "b" }],
    [{ name: "link", type: "2", linkName: "/etc/shadow" }],
    [{ name: "hard", type: "1", linkName: "x" }],
    [{ name: "dev", type: "3" }],
    [{ name: "big", data: "x".repeat(101) }],
    [1, 2, 3].map((i) => ({ name: `f${i}`, data: "y".repeat(90) })),
    [1, 2, 3, 4].map((i) => ({ name: `f${i}`, data: "z" })),
  ];
  for (const [i, entries] of cases.entries()) {
    const bytes = tar(entries);
    const expected = (() => {
      try {
        readTar(bytes, limits, "t");
      } catch (e) {
        return e as ArchiveError;
      }
      assert.fail(`case ${i}: readTar accepted it`);
    })();
    await assert.rejects(
      streamed([bytes], limits),
      (e) => e instanceof ArchiveError && e.message === expected.message,
      `case ${i}: ${expected.message}`,
    );
  }
});

Deno.test("a truncated archive is refused; a handler may stop reading a body early", async () => {
  const bytes = tar([{ name: "a", data: "a".repeat(2000) }, { name: "b", data: "bee" }]);
  await assert.rejects(streamed([bytes.subarray(0, 1200)]), /truncated tar archive/);
  const names: string[] = [];
  await readTarStream(
    [bytes].values(),
    DEFAULT_ARCHIVE_LIMITS,
    "t",
    (e) => {
      names.push(e.name); // the body is left unread
      return Promise.resolve();
    },
  );
  assert.deepEqual(names, ["a", "b"]);
});

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

Deno.test("a gzipped stream is bounded while inflating and checked to its trailer", async () => {
  const ignore = async (_e: unknown, body: AsyncIterable<Uint8Array>) => {
    for await (const _ of body) { /* drained */ }
  };
  // 64 MiB of zeros: refused at the ceiling, and the bomb wins over the entry's own size.
  const bomb = await gzip(tar([{ name: "zeros", data: new Uint8Array(64 * 1024 * 1024) }]));
  await assert.rejects(
    readTgzStream(chunked(bomb, 4096), ignore, "bomb.tgz", {
      maxTotalBytes: 1024 * 1024,
      maxFileBytes: 1024,
    }),
    /bomb\.tgz: decompresses to more than \d+ bytes/,
  );
  await assert.rejects(
    readTgzStream(chunked(new TextEncoder().encode("hello"), 2), ignore, "x.tgz"),
    /not a gzipped archive/,
  );
  const good = await gzip(tar([{ name: "a.yaml", data: "a: 1\n" }]));
  const corrupt = good.slice();
  corrupt[corrupt.length - 5] ^= 0xff; // the CRC
  await assert.rejects(
    readTgzStream(chunked(corrupt, 7), ignore, "crc.tgz"),
    /crc\.tgz: corrupt gzip data/,
  );
  const names: string[] = [];
  await readTgzStream(chunked(good, 3), async (e, body) => {
    names.push(e.name);
    await ignore(e, body);
  }, "good.tgz");
  assert.deepEqual(names, ["a.yaml"]);
});

Deno.test("errors of the compressed source pass through unchanged", async () => {
  class Broken extends Error {}
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield (await gzip(tar([{ name: "a", data: "a".repeat(100_000) }]))).subarray(0, 100);
    throw new Broken("connection reset");
  }
  await assert.rejects(
    readTgzStream(failing(), () => Promise.resolve(), "net.tgz"),
    (e) => e instanceof Broken,
  );
});
