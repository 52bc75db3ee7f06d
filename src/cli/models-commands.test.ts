import { describe, expect, it } from "vitest";
import { DEFAULT_PROBE_TIMEOUT_MS } from "../models/index.js";
import { PROBE_TIMEOUT_HELP } from "./models-commands.js";
import { parseDuration } from "./parse-duration.js";

describe("models test --timeout", () => {
  it("names the probe's own default in its help", () => {
    expect(parseDuration(PROBE_TIMEOUT_HELP, "--timeout")).toBe(DEFAULT_PROBE_TIMEOUT_MS);
  });
});
