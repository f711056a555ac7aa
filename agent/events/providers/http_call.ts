// One HTTP request a provider makes for an event. Builders return these as plain values so
// tests compare them with each service's documented shape, and send.ts alone does the I/O.

export interface HttpCall {
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Asked first: when the service already shows the same thing, the call is not made. */
  unlessPresent?: PresenceCheck;
}

/** The calls for one event, or why there are none (a commit status without a commit). */
export type Planned = { calls: HttpCall[]; skipped?: undefined } | {
  calls: [];
  skipped: string;
};

/** A GET whose JSON answer tells whether the call's effect is already there. */
export interface PresenceCheck {
  url: string;
  headers: Record<string, string>;
  /** Answers 404 mean absent; this sees the parsed body of a 2xx answer. */
  present(answer: unknown): boolean;
}

export function jsonCall(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  method: HttpCall["method"] = "POST",
): HttpCall {
  return {
    method,
    url,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** `Basic <base64(user:password)>`, UTF-8 as browsers and Go's SetBasicAuth encode it. */
export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}
