// The page's static assets, embedded as code so `deno compile` carries them: no files to ship.
import { statusPageClient } from "./client.ts";

export { STYLE_CSS } from "./style.ts";

/** The client script: the compiled source of statusPageClient, called once. */
export const CLIENT_JS = `(${statusPageClient.toString()})();\n`;
