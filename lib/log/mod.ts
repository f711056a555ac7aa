// One small structured logger for the whole program: levels, text or JSON lines, fields,
// and redaction of every secret value registered with it.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";
export type LogFields = Record<string, unknown>;

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

const stderrSink: LogSink = {
  write(line) {
    Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
  },
};

/** Secret values never reach a log line: every occurrence is replaced by this mask. */
export const MASK = "*****";

export class SecretRegistry {
  #values = new Set<string>();

  /** Remember a secret so it is masked wherever it appears in later log lines. */
  add(value: string | undefined): void {
    // Very short values would mask ordinary words; they are not secrets worth the damage.
    if (value && value.length >= 4) this.#values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.#values) {
      if (out.includes(value)) out = out.split(value).join(MASK);
    }
    return out;
  }
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  sink?: LogSink;
  secrets?: SecretRegistry;
  clock?: () => Date;
}

export class Logger {
  readonly secrets: SecretRegistry;
  /** Shared with every logger made by with(), so reconfigure() reaches them all. */
  #settings: { level: LogLevel; format: LogFormat };
  readonly #sink: LogSink;
  readonly #clock: () => Date;
  readonly #fields: LogFields;

  constructor(options: LoggerOptions = {}, fields: LogFields = {}) {
    this.#settings = { level: options.level ?? "info", format: options.format ?? "text" };
    this.secrets = options.secrets ?? new SecretRegistry();
    this.#sink = options.sink ?? stderrSink;
    this.#clock = options.clock ?? (() => new Date());
    this.#fields = fields;
  }

  get level(): LogLevel {
    return this.#settings.level;
  }

  get format(): LogFormat {
    return this.#settings.format;
  }

  /** Changes the level and format of this logger and of all its with() relatives (reload). */
  reconfigure(settings: { level?: LogLevel; format?: LogFormat }): void {
    if (settings.level) this.#settings.level = settings.level;
    if (settings.format) this.#settings.format = settings.format;
  }

  /** A logger that adds `fields` (kind, name, namespace, revision...) to every line. */
  with(fields: LogFields): Logger {
    const child = new Logger(
      { sink: this.#sink, secrets: this.secrets, clock: this.#clock },
      { ...this.#fields, ...fields },
    );
    child.#settings = this.#settings;
    return child;
  }

  enabled(level: LogLevel): boolean {
    return levelRank[level] >= levelRank[this.level];
  }

  debug(msg: string, fields?: LogFields): void {
    this.log("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log("error", msg, fields);
  }

  log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const all = { ...this.#fields, ...fields };
    const ts = this.#clock().toISOString();
    const line = this.format === "json"
      ? JSON.stringify({ ts, level, msg, ...normalize(all) })
      : formatText(ts, level, msg, all);
    this.#sink.write(this.secrets.redact(line));
  }
}

function normalize(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? value.message : value;
  }
  return out;
}

function formatText(ts: string, level: LogLevel, msg: string, fields: LogFields): string {
  const parts = [ts, level.toUpperCase().padEnd(5), msg];
  for (const [key, value] of Object.entries(normalize(fields))) {
    if (value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    parts.push(`${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.join(" ");
}

export function parseLogLevel(value: string): LogLevel {
  if (value in levelRank) return value as LogLevel;
  throw new Error(`invalid log level "${value}": expected one of debug, info, warn, error`);
}

export function parseLogFormat(value: string): LogFormat {
  if (value === "text" || value === "json") return value;
  throw new Error(`invalid log format "${value}": expected text or json`);
}
