/** Priorities are integers in this range; higher runs first. */
export const MIN_TASK_PRIORITY = -1000;
export const MAX_TASK_PRIORITY = 1000;

/** @defaultValue for TaskSpec fields. */
export const DEFAULT_TASK_QUEUE = "default";
export const DEFAULT_TASK_KIND = "agent";
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_TASK_TIMEOUT_MS = 600_000;

/** Queue and kind names: letters, digits and `_ . : -`, up to 100 characters. */
export const NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Required capabilities: the same words agents declare (`code`, `c++`, `c#`, `node.js`). */
export { CAPABILITY_PATTERN } from "../../config/agents-schema.js";

/** The longest timeout a timer can hold (2^31 - 1 ms, about 24.8 days). */
export const MAX_TASK_TIMEOUT_MS = 2_147_483_647;
