// A time and size budget per render. Go's text/template has none (Helm relies on the process
// being killed); skiff renders untrusted charts inside a long-running agent, so a template that
// never ends (`range` over a huge `until`) or that grows without bound (`repeat`, nested ranges)
// must stop with a clear error instead of hanging the agent or exhausting its memory.
//
// Rendering is synchronous, so the budget of the render in progress is ambient: the outermost
// `Template.execute` (or a caller's `RenderBudget.run`) opens it, and everything executed inside
// — nested `template` calls, Helm's `include` and `tpl`, Sprig's list builders — charges it.
import { ExecError } from "./errors.ts";

export interface RenderLimits {
  /** Wall-clock time one render may take, in milliseconds (default 5 s). */
  maxDurationMs: number;
  /**
   * Characters (UTF-16 code units, bytes for ASCII) one render may produce, counting the output
   * of every template it executes and every string a function returns (default 50 Mi).
   */
  maxOutputLength: number;
  /** Elements a list builder (`until`, `untilStep`, `seq`) may create at once (default 1 Mi). */
  maxListLength: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  maxDurationMs: 5_000,
  maxOutputLength: 50 * 1024 * 1024,
  maxListLength: 1024 * 1024,
};

/** "depth": a template including itself without end (Helm's `include`) ran out of stack. */
export type BudgetLimit = "time" | "output" | "list" | "depth";

/** A render went over its budget; `limit` says which one. */
export class RenderBudgetError extends ExecError {
  constructor(
    templateName: string,
    readonly limit: BudgetLimit,
    message: string,
    /** False when thrown by a function, before the engine adds the template position. */
    readonly located = true,
  ) {
    super(templateName, message);
  }
}

/** How often (in evaluation steps) the clock is read: often enough to stop within ~1 ms. */
const STEPS_PER_CLOCK_READ = 1024;

/** The budget of one render; `run` makes it the one charged by everything executed inside. */
export class RenderBudget {
  readonly limits: RenderLimits;
  #deadline = 0;
  #steps = 0;
  #output = 0;

  constructor(limits: Partial<RenderLimits> = {}, readonly name = "render") {
    this.limits = { ...DEFAULT_RENDER_LIMITS, ...limits };
  }

  /** Runs `fn` with this budget active (nested runs of another budget keep the outer one). */
  run<T>(fn: () => T): T {
    if (active) return fn();
    this.#deadline = performance.now() + this.limits.maxDurationMs;
    this.#steps = 0;
    this.#output = 0;
    active = this;
    try {
      return fn();
    } finally {
      active = undefined;
    }
  }

  /** Counts one evaluation step; every so often checks the clock. `where` names the spot. */
  step(where: () => string): void {
    if (++this.#steps % STEPS_PER_CLOCK_READ !== 0) return;
    if (performance.now() > this.#deadline) {
      throw new RenderBudgetError(
        this.name,
        "time",
        `${where()}: render took longer than ${formatMs(this.limits.maxDurationMs)} ` +
          `(the render time limit); stopped`,
      );
    }
  }

  /** Checks a piece of output (or a string a function made) of `length` characters. */
  checkOutput(length: number, where: () => string): void {
    if (length > this.limits.maxOutputLength) this.#overOutput(length, where);
  }

  /** Adds `length` characters to what the whole render has produced. */
  chargeOutput(length: number, where: () => string): void {
    this.#output += length;
    if (this.#output > this.limits.maxOutputLength) this.#overOutput(this.#output, where);
  }

  #overOutput(length: number, where: () => string): never {
    throw new RenderBudgetError(
      this.name,
      "output",
      `${where()}: render output of ${length} characters is over the limit of ` +
        `${this.limits.maxOutputLength}; stopped`,
    );
  }
}

let active: RenderBudget | undefined;

/** The budget of the render in progress, if any. */
export function activeBudget(): RenderBudget | undefined {
  return active;
}

/**
 * For functions that build lists (Sprig's `until`): refuses a list longer than the budget allows
 * before allocating it, and charges its elements as evaluation steps.
 */
export function checkListLength(length: number, what: string): void {
  const budget = active;
  if (!budget) return;
  if (length > budget.limits.maxListLength) {
    throw new RenderBudgetError(
      budget.name,
      "list",
      `${what}: a list of ${length} elements is over the limit of ${budget.limits.maxListLength}`,
      false,
    );
  }
}

/** For functions that build strings (`repeat`): refuses one longer than the output budget. */
export function checkStringLength(length: number, what: string): void {
  const budget = active;
  if (!budget || length <= budget.limits.maxOutputLength) return;
  throw new RenderBudgetError(
    budget.name,
    "output",
    `${what}: a string of ${length} characters is over the render output limit of ` +
      `${budget.limits.maxOutputLength}`,
    false,
  );
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
