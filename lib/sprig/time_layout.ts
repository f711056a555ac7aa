// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): the tokens, and formatting of a
// broken-down time with them.

export const MONTHS = [
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
export const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A time broken down in its zone, what a layout prints from. */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
  nanos: number;
  offset: number;
  abbrev: string;
}

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

export function nextToken(layout: string, i: number): string | undefined {
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
