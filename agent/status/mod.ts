// In-memory status and history of every reconciled object.
export {
  type HistoryEntry,
  objectKey,
  type ObjectStatus,
  parseObjectKey,
  type ReadyState,
  type RunResult,
  StatusStore,
} from "./store.ts";
export { explainWaiting } from "./explain.ts";
