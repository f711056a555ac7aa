// time.ParseInLocation with Go's layouts, for toDate and mustToDate.
import { GoFuncError } from "../gotemplate/mod.ts";
import { GoTime } from "./gotime.ts";
import { DAYS, MONTHS, nextToken } from "./time_layout.ts";
import { fixedZone, UTC, type Zone } from "./zones.ts";

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
      return new GoTime(
        wallFixed - guess.offset * 1000 + Math.floor(nanos / 1000000),
        nanos % 1000000,
        zone,
      );
    }
    // An unknown abbreviation is taken as a zone at offset 0 with that name, as Go does.
    return new GoTime(
      wallFixed + Math.floor(nanos / 1000000),
      nanos % 1000000,
      fixedZone(abbrev, 0),
    );
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
