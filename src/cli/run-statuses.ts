import type { RunStatus } from "../engine/index.js";

/** Every run status, for `runs --status`: its help text and its check. */
export const RUN_STATUSES: readonly RunStatus[] = [
  "queued",
  "running",
  "waiting",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
];
