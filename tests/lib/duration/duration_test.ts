import assert from "node:assert/strict";
import {
  DurationError,
  formatDurationMillis,
  formatDurationNanos,
  parseDurationMillis,
  parseDurationNanos,
} from "../../../lib/duration/mod.ts";
import { runOracle } from "../../support/go.ts";

const samples = [
  "0",
  "-0",
  "+0",
  "0s",
  "90s",
  "1m30s",
  "1h",
  "500ms",
  "-1.5h",
  "1.5h",
  "1h30m",
  "2h45m10.5s",
  "100ns",
  "1us",
  "1\u00b5s",
  "1\u03bcs",
  "1.000000001s",
  "1.0000000019s",
  ".5s",
  "1.s",
  "3m0s",
  "9223372036854775807ns",
  "9223372036854775808ns",
  "-9223372036854775808ns",
  "2562047h",
  "2562048h",
  "1d",
  "1",
  "",
  "s",
  ".",
  "-",
  "1m1",
  "1e3s",
  " 1s",
  "1s ",
  "1h-1m",
  "0.1ns",
  "1.23456789ms",
  "61m",
  "3600s",
  "15s",
  "10m",
  "24h",
  "1H",
  "5M",
  "0.5m",
  "1000000us",
  "1.5\u00b5s",
];

Deno.test("parses and prints every sample exactly as Go's time package does", async () => {
  const expected = (await runOracle("goduration", samples.join("\n") + "\n")).trimEnd().split("\n");
  assert.equal(expected.length, samples.length);
  samples.forEach((text, i) => {
    let got: string;
    try {
      const nanos = parseDurationNanos(text);
      got = `${nanos} ${formatDurationNanos(nanos)}`;
    } catch (e) {
      assert.ok(e instanceof DurationError);
      got = "error";
    }
    assert.equal(got, expected[i], `duration ${JSON.stringify(text)}`);
  });
});

Deno.test("milliseconds round-trip through Go's notation", () => {
  assert.equal(parseDurationMillis("1m30s"), 90_000);
  assert.equal(parseDurationMillis("500ms"), 500);
  assert.equal(parseDurationMillis("1.5us"), 0.0015);
  assert.equal(formatDurationMillis(90_000), "1m30s");
  assert.equal(formatDurationMillis(3_600_000), "1h0m0s");
  assert.equal(formatDurationMillis(0.5), "500\u00b5s");
});

Deno.test("errors say what was wrong and what a duration looks like", () => {
  assert.throws(() => parseDurationNanos("5 minutes"), {
    message:
      'invalid duration "5 minutes": unknown unit " minutes"; expected a number and a unit (ns, us, ms, s, m, h) such as 90s, 1m30s, 1h or 500ms',
  });
  assert.throws(() => parseDurationNanos("10"), /invalid duration "10": missing unit/);
});
