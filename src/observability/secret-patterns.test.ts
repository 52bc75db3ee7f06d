import { describe, expect, it } from "vitest";
import { redactJsonLine, redactText } from "./secret-patterns.js";
import { opaqueSecret, providerKeySamples } from "./secret-samples.js";

const KEYS = providerKeySamples();

/** Pieces that stress both the rules and JSON escaping when glued together. */
const FRAGMENTS = [
  "password",
  "secret",
  "api_key",
  "Authorization",
  "token",
  "Bearer ",
  "Basic ",
  ":",
  "=",
  " ",
  '"',
  "'",
  "\\",
  '\\"',
  "\n",
  ",",
  "&",
  "?key=",
  "@",
  "postgres://u:",
  "https://",
  "true",
  "42",
  "abc123XYZ",
  ` ${KEYS.openaiProject}`,
  KEYS.google,
  opaqueSecret(1),
];

function* gluedStrings(count: number): Generator<string> {
  let state = 7;
  for (let index = 0; index < count; index += 1) {
    let text = "";
    const length = 2 + (index % 9);
    for (let piece = 0; piece < length; piece += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      text += FRAGMENTS[(state >>> 16) % FRAGMENTS.length];
    }
    yield text;
  }
}

describe("redactJsonLine", () => {
  it("keeps every line valid JSON, whatever the strings in it hold", () => {
    for (const text of gluedStrings(5_000)) {
      const line = JSON.stringify({ msg: text, [text]: text, secret: true, password: text });
      const redacted = redactJsonLine(line);
      expect(() => JSON.parse(redacted), redacted).not.toThrow();
      expect(redacted).not.toContain(KEYS.openaiProject);
      expect(redacted).not.toContain(KEYS.google);
    }
  });

  it("redacts secrets inside string values and leaves the structure alone", () => {
    const line = JSON.stringify({
      msg: `password=${opaqueSecret(2)} and Bearer ${opaqueSecret(3)}`,
      body: `{"api_key": "${opaqueSecret(4)}"}`,
      secret: true,
      password: 12,
    });
    expect(JSON.parse(redactJsonLine(line))).toEqual({
      msg: "password=*** and Bearer ***",
      body: '{"api_key": "***"}',
      secret: true,
      password: 12,
    });
  });
});

describe("redactText", () => {
  it("returns text without a trigger substring untouched and quickly", () => {
    const line = "worker 3 claimed step plan of run 42 after 120ms";
    const started = performance.now();
    for (let round = 0; round < 100_000; round += 1) redactText(line);
    expect(redactText(line)).toBe(line);
    // Generous: a regression to per-call compilation or a full rule scan is ~10 times slower.
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
