// Diffs of objects for people, and the comparison rules behind "unchanged".
export { renderDiff, SECRET_MASK } from "./render.ts";
export { diffLines, type Edit, unifiedDiff } from "./unified.ts";
export { jsonEqual, withoutServerFields } from "./server_fields.ts";
