// The agent's HTTP server: health, readiness, metrics, Receiver webhooks, status API.
export { AgentServer, type AgentServerOptions, type StatusEntry } from "./server.ts";
export { Metrics } from "./metrics.ts";
export { hookPath, ReceiverRoutes } from "./receivers.ts";
export {
  BodyLimitError,
  type BodyLimits,
  DEFAULT_BODY_LIMITS,
  MAX_WEBHOOK_BODY_BYTES,
  readBodyLimited,
  WEBHOOK_BODY_TIMEOUT_MS,
} from "./body_limit.ts";
export { equalText, hmacHex, timingSafeEqual, type Verdict, verifyRequest } from "./verify.ts";
