// One assertion for the commonest failure check in the tests: an error of a given class whose
// message names what went wrong. node:assert's `rejects` takes a class or a pattern, not both.

/**
 * Asserts a promise (or a function's result) rejects with an instance of `cls` whose message
 * holds every part, and returns that error for further checks.
 */
export async function rejectsWith<E extends Error>(
  p: Promise<unknown> | (() => unknown),
  // deno-lint-ignore no-explicit-any -- any error class, whatever its constructor takes
  cls: abstract new (...args: any[]) => E,
  ...parts: (string | RegExp)[]
): Promise<E> {
  let error: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof cls)) {
    throw new Error(`expected ${cls.name}, got ${error === undefined ? "success" : error}`);
  }
  for (const part of parts) {
    const ok = typeof part === "string" ? error.message.includes(part) : part.test(error.message);
    if (!ok) throw new Error(`"${error.message.slice(0, 500)}" lacks ${part}`);
  }
  return error;
}
