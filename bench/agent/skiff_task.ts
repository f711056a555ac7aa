// The `skiff` task of deno.json as a command line, so the benchmark starts `skiff run` exactly as
// an operator does with `deno task skiff run ...`: the task's environment and runtime flags
// (V8 flags, code cache) are part of what the idle-memory number measures.
const root = new URL("../../", import.meta.url);

/** A command the benchmark can spawn: `deno <args>` with `env` added to the environment. */
export interface TaskCommand {
  env: Record<string, string>;
  /** Arguments after `deno`, ending with the absolute path of main.ts. */
  args: string[];
  /** The task line as written, for the report. */
  text: string;
}

/** deno.json's task has a shape this reader does not understand (quotes, `&&`, no `deno`). */
export class TaskShapeError extends Error {
  constructor(readonly task: string, readonly expected: string) {
    super(`deno.json: tasks.skiff: "${task}": expected ${expected}`);
    this.name = "TaskShapeError";
  }
}

export async function skiffTaskCommand(): Promise<TaskCommand> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
    tasks?: Record<string, string>;
  };
  const text = config.tasks?.skiff;
  if (!text) throw new TaskShapeError("", "a `skiff` task");
  if (/["'&|;<>$`]/.test(text)) {
    throw new TaskShapeError(text, "plain words: VAR=value ... deno run ... main.ts");
  }
  const words = text.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const word = words.shift()!;
    const eq = word.indexOf("=");
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  if (words.shift() !== "deno") throw new TaskShapeError(text, "`deno` after the variables");
  if (words.at(-1) !== "main.ts") throw new TaskShapeError(text, "main.ts as the last word");
  words[words.length - 1] = new URL("main.ts", root).pathname;
  return { env, args: words, text };
}

/** The plain `deno run -A main.ts`, without the task's flags: the number before them. */
export function plainRunCommand(): TaskCommand {
  const main = new URL("main.ts", root).pathname;
  return { env: {}, args: ["run", "-A", "--quiet", main], text: "deno run -A --quiet main.ts" };
}
