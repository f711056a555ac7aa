import { startGitServer } from "../../../tests/support/git_server.ts";
const s = await startGitServer({ root: "/tmp/inc" });
await Deno.writeTextFile("/tmp/inc/url", s.url("big"));
