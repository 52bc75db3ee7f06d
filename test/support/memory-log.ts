import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/observability/index.js";

export interface MemoryLog {
  logger: Logger;
  /** Every line written so far, as written (JSON). */
  readonly lines: string[];
  /** Every line written so far, parsed. */
  entries(): Record<string, unknown>[];
}

/** A debug-level JSON logger whose lines stay in memory, for tests that read them back. */
export function createMemoryLog(): MemoryLog {
  const lines: string[] = [];
  let pending = "";
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      lines.push(...complete.filter((line) => line !== ""));
      done();
    },
  });
  const logger = createLogger({ destination, level: "debug", pretty: false });
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
