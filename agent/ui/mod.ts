// The read-only status page the agent serves on its HTTP port: overview, object pages, live
// updates (SSE). Mount: `const page = createStatusPage(statusPageSourceFromAgent(core), {auth})`,
// then in the server's handler `const r = await page(req); if (r) return r;`.
export { createStatusPage, type StatusPageHandler, type StatusPageOptions } from "./handler.ts";
// Every shape the page reads (OverviewRow, ObjectDetails, StatusPageSource, ...).
export type * from "./source.ts";
export {
  type RunChange,
  type RunOutcome,
  type StatusPageExtras,
  statusPageSourceFromStore,
} from "./store_source.ts";
export { extrasFromAgent, statusPageSourceFromAgent } from "./agent_source.ts";
export { type StatusPageAuth, StatusPageAuthError, statusPageAuthFromSecret } from "./auth.ts";
export { MASK, redactDocument, redactText } from "./redact.ts";
