// Time zones for GoTime: UTC, fixed offsets, IANA names through Intl, and Go's Local (TZ).

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
