// time.Time for templates: an instant with nanoseconds and a location, formatted with Go's
// layouts, printed as Go's String() does.
import { GoInt } from "../gotemplate/mod.ts";
import { type Fields, formatTime } from "./time_layout.ts";
import { localZone, UTC, type Zone } from "./zones.ts";

/** A Go time.Time. */
export class GoTime {
  static goType = "time.Time";
  constructor(
    /** Milliseconds since the epoch. */
    readonly ms: number,
    /** Nanoseconds within the millisecond (0..999999). */
    readonly nsExtra: number,
    readonly zone: Zone,
    /** Go's monotonic clock reading (seconds since start), which time.Now() values carry. */
    readonly monotonic?: number,
  ) {}

  static now(): GoTime {
    const nowMs = performance.timeOrigin + performance.now();
    const ms = Math.floor(nowMs);
    return new GoTime(
      ms,
      Math.round((nowMs - ms) * 1e6) % 1000000,
      localZone(),
      performance.now() / 1000,
    );
  }

  static unix(sec: bigint): GoTime {
    return new GoTime(Number(sec) * 1000, 0, localZone());
  }

  private fields(): Fields {
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
      yday: Math.floor(
        (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
          Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000,
      ) + 1,
      nanos,
      offset,
      abbrev,
    };
  }

  Format(layout: string): string {
    return formatTime(this.fields(), layout);
  }

  String(): string {
    const s = this.Format("2006-01-02 15:04:05.999999999 -0700 MST");
    return this.monotonic === undefined ? s : `${s} m=+${this.monotonic.toFixed(9)}`;
  }

  /** encoding/json writes a time.Time as an RFC 3339 string with nanoseconds. */
  toJSON(): string {
    return this.Format("2006-01-02T15:04:05.999999999Z07:00");
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
