import { describe, expect, it } from "vitest";
import { LOGGER_LEVELS } from "../observability/index.js";
import { configSchema, LOG_LEVELS } from "./index.js";

describe("log levels", () => {
  it("the configuration accepts the logger's own list, not a copy", () => {
    expect(LOG_LEVELS).toBe(LOGGER_LEVELS);
    for (const level of LOGGER_LEVELS) {
      expect(configSchema.parse({ log: { level } }).log.level).toBe(level);
    }
  });
});
