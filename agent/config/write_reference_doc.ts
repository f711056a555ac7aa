// Writes docs/config.md from the config schemas: deno run -A agent/config/write_reference_doc.ts
// The text goes through `deno fmt` so the committed file passes the project's format check.
import { renderConfigReference } from "./reference_doc.ts";

/** The reference as `deno fmt` lays it out (wrapped prose, aligned tables). */
export async function formattedConfigReference(): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    cwd: new URL("../../", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(renderConfigReference()));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

if (import.meta.main) {
  const target = new URL("../../docs/config.md", import.meta.url);
  await Deno.mkdir(new URL("../../docs/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(target, await formattedConfigReference());
  console.log(`wrote ${target.pathname}`);
}
