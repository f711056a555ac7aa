// time.Time for templates: an instant with nanoseconds and a location, Go's layout-based
// Format and ParseInLocation ("2006-01-02T15:04:05Z07:00"), and Go's String() form.
import { GoFuncError, GoInt } from "../gotemplate/mod.ts";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A time zone: fixed (UTC, parsed offsets) or an IANA name resolved through Intl. */
export interface Zone {
  /** Location name as Go prints it for String(): "UTC", "Local", "Europe/Berlin". */
  name: string;
  /** Offset (seconds east of UTC) and abbreviation at an instant. */
  at(epochMs: number): { offset: number; abbrev: string };
}

export const UTC: Zone = { name: "UTC", at: () => ({ offset: 0, abbrev: "UTC" }) };

export function fixedZone(abbrev: string, offset: number): Zone {
  return { name: abbrev, at: () => ({ offset, abbrev }) };
}

const zoneCache = new Map<string, Zone | null>();

/** time.LoadLocation: "", "UTC", "Local" or an IANA name; undefined when unknown. */
export function loadLocation(name: string): Zone | undefined {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return localZone();
  if (zoneCache.has(name)) return zoneCache.get(name) ?? undefined;
  let zone: Zone | null = null;
  try {
    const dtf = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      timeZoneName: "longOffset",
    });
    const abbrevFmt = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "short" });
    zone = {
      name,
      at(ms: number) {
        const off = dtf.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
        const m = /GMT([+-])(\d\d):(\d\d)/.exec(off);
        const offset = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
        let abbrev = abbrevFmt.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ??
          "";
        if (!/^[A-Z]{3,5}$/.test(abbrev) || abbrev === "GMT" && offset !== 0) {
          abbrev = offsetAbbrev(offset);
        }
        return { offset, abbrev };
      },
    };
  } catch {
    zone = null;
  }
  zoneCache.set(name, zone);
  return zone ?? undefined;
}

function offsetAbbrev(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 3600)).padStart(2, "0");
  const m = Math.floor((a % 3600) / 60);
  return m ? `${sign}${h}${String(m).padStart(2, "0")}` : `${sign}${h}`;
}

let local: Zone | undefined;

/** time.Local, from the TZ environment variable like Go (UTC when unset or unknown). */
export function localZone(): Zone {
  if (local) return local;
  let tz: string | undefined;
  try {
    tz = Deno.env.get("TZ");
  } catch {
    tz = undefined;
  }
  if (tz === undefined) tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const z = tz && tz !== "UTC" && tz !== "Etc/UTC" ? loadLocation(tz) : undefined;
  local = z ? { name: "Local", at: z.at } : { name: "Local", at: UTC.at };
  return local;
}

/** A Go time.Time. */
export class GoTime {
  static goType = "time.Time";
  constructor(
    /** Milliseconds since the epoch. */
    readonly ms: number,
    /** Nanoseconds within the millisecond (0..999999). */
    readonly nsExtra: number,
    readonly zone: Zone,
  ) {}

  static now(): GoTime {
    return new GoTime(Date.now(), 0, localZone());
  }

  static unix(sec: bigint): GoTime {
    return new GoTime(Number(sec) * 1000, 0, localZone());
  }

  private fields() {
    const { offset, abbrev } = this.zone.at(this.ms);
    const d = new Date(this.ms + offset * 1000);
    const nanos = (((this.ms % 1000) + 1000) % 1000) * 1e6 + this.nsExtra;
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
      yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
        Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1,
      nanos,
      offset,
      abbrev,
    };
  }

  Format(layout: string): string {
    return formatTime(this.fields(), layout);
  }

  String(): string {
    return this.Format("2006-01-02 15:04:05.999999999 -0700 MST");
  }

  Unix(): GoInt {
    return new GoInt(BigInt(Math.floor(this.ms / 1000)), "int64");
  }

  UnixNano(): GoInt {
    return new GoInt(BigInt(Math.floor(this.ms)) * 1000000n + BigInt(this.nsExtra), "int64");
  }

  Year(): bigint {
    return BigInt(this.fields().year);
  }

  Day(): bigint {
    return BigInt(this.fields().day);
  }

  Hour(): bigint {
    return BigInt(this.fields().hour);
  }

  Minute(): bigint {
    return BigInt(this.fields().minute);
  }

  Second(): bigint {
    return BigInt(this.fields().second);
  }

  UTC(): GoTime {
    return new GoTime(this.ms, this.nsExtra, UTC);
  }

  In(zone: Zone): GoTime {
    return new GoTime(this.ms, this.nsExtra, zone);
  }

  /** Adds nanoseconds. */
  addNanos(n: bigint): GoTime {
    const total = BigInt(Math.round(this.ms)) * 1000000n + BigInt(this.nsExtra) + n;
    const ms = total / 1000000n;
    let extra = total % 1000000n;
    let msn = Number(ms);
    if (extra < 0n) {
      extra += 1000000n;
      msn -= 1;
    }
    return new GoTime(msn, Number(extra), this.zone);
  }

  /** Nanoseconds since the epoch. */
  nanos(): bigint {
    return BigInt(Math.round(this.ms)) * 1000000n + BigInt(this.nsExtra);
  }
}

type Fields = ReturnType<GoTime["fields"]>;

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** Layout tokens, longest first where prefixes overlap. */
const TOKENS = [
  "January",
  "Jan",
  "Monday",
  "Mon",
  "MST",
  "2006",
  "06",
  "01",
  "002",
  "02",
  "__2",
  "_2",
  "15",
  "03",
  "04",
  "05",
  "PM",
  "pm",
  "-07:00:00",
  "-070000",
  "-07:00",
  "-0700",
  "-07",
  "Z07:00:00",
  "Z070000",
  "Z07:00",
  "Z0700",
  "Z07",
  "1",
  "2",
  "3",
  "4",
  "5",
];

function nextToken(layout: string, i: number): string | undefined {
  for (const t of TOKENS) {
    if (!layout.startsWith(t, i)) continue;
    // "Jan"/"Mon" must not be followed by a lower-case letter ("Janet" is literal).
    if ((t === "Jan" || t === "Mon") && /[a-z]/.test(layout[i + 3] ?? "")) continue;
    return t;
  }
  // Fractional seconds: .000 / .999 / ,000 after nothing special.
  const m = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
  if (m) return m[0];
  return undefined;
}

export function formatTime(f: Fields, layout: string): string {
  let out = "";
  let i = 0;
  while (i < layout.length) {
    const t = nextToken(layout, i);
    if (!t) {
      out += layout[i++];
      continue;
    }
    i += t.length;
    out += formatToken(f, t);
  }
  return out;
}

function formatToken(f: Fields, t: string): string {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (t) {
    case "January":
      return MONTHS[f.month - 1];
    case "Jan":
      return MONTHS[f.month - 1].slice(0, 3);
    case "Monday":
      return DAYS[f.weekday];
    case "Mon":
      return DAYS[f.weekday].slice(0, 3);
    case "MST":
      return f.abbrev;
    case "2006":
      return pad(f.year, 4);
    case "06":
      return pad(f.year % 100, 2);
    case "01":
      return pad(f.month, 2);
    case "1":
      return String(f.month);
    case "002":
      return pad(f.yday, 3);
    case "__2":
      return String(f.yday).padStart(3, " ");
    case "02":
      return pad(f.day, 2);
    case "_2":
      return String(f.day).padStart(2, " ");
    case "2":
      return String(f.day);
    case "15":
      return pad(f.hour, 2);
    case "03":
      return pad(h12, 2);
    case "3":
      return String(h12);
    case "04":
      return pad(f.minute, 2);
    case "4":
      return String(f.minute);
    case "05":
      return pad(f.second, 2);
    case "5":
      return String(f.second);
    case "PM":
      return f.hour >= 12 ? "PM" : "AM";
    case "pm":
      return f.hour >= 12 ? "pm" : "am";
  }
  if (/^[-Z]07/.test(t)) {
    if (t[0] === "Z" && f.offset === 0) return "Z";
    const sign = f.offset < 0 ? "-" : "+";
    const a = Math.abs(f.offset);
    const hh = pad(Math.floor(a / 3600), 2);
    const mm = pad(Math.floor((a % 3600) / 60), 2);
    const ss = pad(a % 60, 2);
    const body = t.slice(1);
    switch (body) {
      case "07":
        return sign + hh;
      case "0700":
        return sign + hh + mm;
      case "07:00":
        return `${sign}${hh}:${mm}`;
      case "070000":
        return sign + hh + mm + ss;
      case "07:00:00":
        return `${sign}${hh}:${mm}:${ss}`;
    }
  }
  // fractional seconds
  const digits = t.length - 1;
  const frac = pad(f.nanos, 9).slice(0, digits);
  if (t[1] === "0") return t[0] + frac;
  const trimmed = frac.replace(/0+$/, "");
  return trimmed === "" ? "" : t[0] + trimmed;
}

/** time.ParseInLocation for the layouts charts use. Throws GoFuncError with Go's message. */
export function parseTime(layout: string, value: string, zone: Zone): GoTime {
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
  let pmSet: boolean | undefined;
  let offset: number | undefined;
  let abbrev: string | undefined;
  let i = 0;
  let v = value;
  const fail = (elem: string, rest: string, extra = "") => {
    throw new GoFuncError(
      `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${
        JSON.stringify(rest)
      } as ${JSON.stringify(elem)}${extra}`,
    );
  };
  const num = (elem: string, min: number, max: number, fixed: boolean): number => {
    const m = (fixed ? new RegExp(`^\\d{${max}}`) : new RegExp(`^\\d{${min},${max}}`)).exec(v);
    if (!m) fail(elem, v);
    v = v.slice(m![0].length);
    return Number(m![0]);
  };
  while (i < layout.length) {
    const t = nextToken(layout, i);
    if (!t) {
      if (v[0] !== layout[i]) fail(layout.slice(i), v);
      v = v.slice(1);
      i++;
      continue;
    }
    i += t.length;
    switch (t) {
      case "2006":
        year = num(t, 4, 4, true);
        break;
      case "06":
        year = num(t, 2, 2, true);
        year += year >= 69 ? 1900 : 2000;
        break;
      case "01":
        month = num(t, 2, 2, true);
        break;
      case "1":
        month = num(t, 1, 2, false);
        break;
      case "January":
      case "Jan": {
        const names = t === "Jan" ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
        const k = names.findIndex((n) => v.toLowerCase().startsWith(n.toLowerCase()));
        if (k < 0) fail(t, v);
        v = v.slice(names[k].length);
        month = k + 1;
        break;
      }
      case "Monday":
      case "Mon": {
        const names = t === "Mon" ? DAYS.map((d) => d.slice(0, 3)) : DAYS;
        const k = names.findIndex((n) => v.toLowerCase().startsWith(n.toLowerCase()));
        if (k < 0) fail(t, v);
        v = v.slice(names[k].length);
        break;
      }
      case "02":
        day = num(t, 2, 2, true);
        break;
      case "_2":
        if (v[0] === " ") v = v.slice(1);
        day = num(t, 1, 2, false);
        break;
      case "2":
        day = num(t, 1, 2, false);
        break;
      case "15":
        hour = num(t, 1, 2, false);
        break;
      case "03":
        hour = num(t, 2, 2, true);
        break;
      case "3":
        hour = num(t, 1, 2, false);
        break;
      case "04":
        minute = num(t, 2, 2, true);
        break;
      case "4":
        minute = num(t, 1, 2, false);
        break;
      case "05":
        second = num(t, 2, 2, true);
        break;
      case "5":
        second = num(t, 1, 2, false);
        break;
      case "PM":
      case "pm": {
        const ap = v.slice(0, 2).toUpperCase();
        if (ap !== "AM" && ap !== "PM") fail(t, v);
        pmSet = ap === "PM";
        v = v.slice(2);
        break;
      }
      case "MST": {
        const m = /^([A-Z]{3,5}|[+-]\d\d)/.exec(v);
        if (!m) fail(t, v);
        abbrev = m![0];
        v = v.slice(m![0].length);
        break;
      }
      default: {
        if (/^[-Z]07/.test(t)) {
          if (t[0] === "Z" && v[0] === "Z") {
            v = v.slice(1);
            offset = 0;
            break;
          }
          const m = /^([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?/.exec(v);
          if (!m) fail(t, v);
          offset = (m![1] === "-" ? -1 : 1) *
            (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
          v = v.slice(m![0].length);
          break;
        }
        // fractional seconds in the layout
        const m = /^[.,](\d+)/.exec(v);
        if (m) {
          nanos = Number(m[1].padEnd(9, "0").slice(0, 9));
          v = v.slice(m[0].length);
        } else if (t[1] === "0") fail(t, v);
      }
    }
    // After seconds, Go accepts a fractional part even when the layout has none.
    if ((t === "05" || t === "5") && /^[.,]\d/.test(v) && !/^[.,][09]/.test(layout.slice(i))) {
      const m = /^[.,](\d+)/.exec(v)!;
      nanos = Number(m[1].padEnd(9, "0").slice(0, 9));
      v = v.slice(m[0].length);
    }
  }
  if (v.length > 0) {
    throw new GoFuncError(
      `parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(v)}`,
    );
  }
  if (pmSet === true && hour < 12) hour += 12;
  if (pmSet === false && hour === 12) hour = 0;
  const rangeErr = (what: string) => {
    throw new GoFuncError(`parsing time ${JSON.stringify(value)}: ${what} out of range`);
  };
  if (month < 1 || month > 12) rangeErr("month");
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) rangeErr("day");
  if (hour > 23) rangeErr("hour");
  if (minute > 59) rangeErr("minute");
  if (second > 59) rangeErr("second");
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0..99 to 1900..1999; put them back.
  const wallFixed = year < 100 ? fixYear(wall, year) : wall;
  if (offset !== undefined) {
    const ms = wallFixed - offset * 1000;
    const local = zone.at(ms);
    const z = local.offset === offset ? zone : fixedZone(abbrev ?? "", offset);
    return new GoTime(ms + Math.floor(nanos / 1000000), nanos % 1000000, z);
  }
  if (abbrev !== undefined) {
    const guess = zone.at(wallFixed);
    if (guess.abbrev === abbrev) {
      return new GoTime(wallFixed - guess.offset * 1000 + Math.floor(nanos / 1000000), nanos % 1000000, zone);
    }
    // An unknown abbreviation is taken as a zone at offset 0 with that name, as Go does.
    return new GoTime(wallFixed + Math.floor(nanos / 1000000), nanos % 1000000, fixedZone(abbrev, 0));
  }
  let off = zone.at(wallFixed).offset;
  off = zone.at(wallFixed - off * 1000).offset;
  return new GoTime(wallFixed - off * 1000 + Math.floor(nanos / 1000000), nanos % 1000000, zone);
}

function fixYear(ms: number, year: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(year);
  return d.getTime();
}

/** The zero time.Time (what toDate returns on a parse error). */
export function zeroTime(): GoTime {
  return new GoTime(fixYear(Date.UTC(2001, 0, 1), 1), 0, UTC);
}
