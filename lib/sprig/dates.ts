// Sprig's date functions (date.go) on GoTime: now, date, dateInZone, htmlDate, toDate,
// dateModify, ago, duration, durationRound, unixEpoch.
import { type FuncMap, GoFuncError, GoInt, typed } from "../gotemplate/mod.ts";
import { formatDurationNanos, parseDurationNanos } from "../duration/mod.ts";
import { GoTime } from "./gotime.ts";
import { parseTime, zeroTime } from "./time_parse.ts";
import { loadLocation, localZone, UTC } from "./zones.ts";

/** The time a date function's `date` argument stands for (anything else means now). */
function asTime(date: unknown): GoTime {
  if (date instanceof GoTime) return date;
  if (typeof date === "bigint") return GoTime.unix(date);
  if (date instanceof GoInt && (date.kind === "int64" || date.kind === "int32")) {
    return GoTime.unix(date.value);
  }
  return GoTime.now();
}

function dateInZone(layout: string, date: unknown, zone: string): string {
  const loc = loadLocation(zone) ?? UTC;
  return asTime(date).In(loc).Format(layout);
}

function parseDuration(s: string): bigint | undefined {
  try {
    return parseDurationNanos(s);
  } catch {
    return undefined;
  }
}

function durationRound(v: unknown): string {
  let d = 0n;
  if (typeof v === "string") d = parseDuration(v) ?? 0n;
  else if (v instanceof GoInt && v.kind === "int64") d = v.value;
  else if (v instanceof GoTime) d = GoTime.now().nanos() - v.nanos();
  const u = d < 0n ? -d : d;
  const second = 1000000000n;
  const minute = 60n * second;
  const hour = 60n * minute;
  const day = 24n * hour;
  const month = 30n * day;
  const year = 365n * day;
  if (u > year) return `${u / year}y`;
  if (u > month) return `${u / month}mo`;
  if (u > day) return `${u / day}d`;
  if (u > hour) return `${u / hour}h`;
  if (u > minute) return `${u / minute}m`;
  if (u > second) return `${u / second}s`;
  return "0s";
}

function ago(date: unknown): string {
  const t = asTime(date);
  const d = GoTime.now().nanos() - t.nanos();
  // Round to the second, halves away from zero (time.Duration.Round).
  const s = 1000000000n;
  const r = d < 0n ? -((-d + s / 2n) / s) * s : ((d + s / 2n) / s) * s;
  return formatDurationNanos(r);
}

function dateModify(fmt: string, date: GoTime, must: boolean): GoTime {
  const d = parseDuration(fmt);
  if (d === undefined) {
    if (must) throw new GoFuncError(`time: invalid duration ${JSON.stringify(fmt)}`);
    return date;
  }
  return date.addNanos(d);
}

function toDate(layout: string, value: string, must: boolean): GoTime {
  try {
    return parseTime(layout, value, localZone());
  } catch (e) {
    if (!must && e instanceof GoFuncError) return zeroTime();
    throw e;
  }
}

export const dateFuncs: FuncMap = {
  now: typed([], () => GoTime.now()),
  date: typed(["string", "any"], (f: string, d: unknown) => dateInZone(f, d, "Local")),
  dateInZone: typed(["string", "any", "string"], dateInZone),
  date_in_zone: typed(["string", "any", "string"], dateInZone),
  htmlDate: typed(["any"], (d: unknown) => dateInZone("2006-01-02", d, "Local")),
  htmlDateInZone: typed(
    ["any", "string"],
    (d: unknown, z: string) => dateInZone("2006-01-02", d, z),
  ),
  dateModify: typed(
    ["string", "any"],
    (f: string, d: GoTime) => dateModify(f, requireTime(d), false),
  ),
  date_modify: typed(
    ["string", "any"],
    (f: string, d: GoTime) => dateModify(f, requireTime(d), false),
  ),
  mustDateModify: typed(
    ["string", "any"],
    (f: string, d: GoTime) => dateModify(f, requireTime(d), true),
  ),
  must_date_modify: typed(
    ["string", "any"],
    (f: string, d: GoTime) => dateModify(f, requireTime(d), true),
  ),
  ago: typed(["any"], ago),
  duration: typed(["any"], (v: unknown) => {
    let n = 0n;
    if (typeof v === "string") n = /^[+-]?\d+$/.test(v) ? BigInt.asIntN(64, BigInt(v)) : 0n;
    else if (v instanceof GoInt && v.kind === "int64") n = v.value;
    return formatDurationNanos(BigInt.asIntN(64, n * 1000000000n));
  }),
  durationRound: typed(["any"], durationRound),
  toDate: typed(["string", "string"], (f: string, s: string) => toDate(f, s, false)),
  mustToDate: typed(["string", "string"], (f: string, s: string) => toDate(f, s, true)),
  unixEpoch: typed(["any"], (d: unknown) => requireTime(d).Unix().value.toString()),
};

/** Go would reject a non-time.Time argument at the call; say so the same way. */
function requireTime(d: unknown): GoTime {
  if (d instanceof GoTime) return d;
  throw new GoFuncError(`wrong type for value; expected time.Time`);
}
