// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is this file's subject, not a mistaken template.
import { describe, expect, it } from "vitest";
import { interpolateEnvironment } from "./interpolate-environment.js";

describe("interpolateEnvironment", () => {
  it("replaces ${VAR} and ${VAR:-default} in nested string values", () => {
    const result = interpolateEnvironment(
      { a: "${HOME_DIR}/x", list: ["${MISSING:-fallback}", 3, true], nested: { b: "${EMPTY:-d}" } },
      { HOME_DIR: "/home/o", EMPTY: "" },
    );
    expect(result.value).toEqual({
      a: "/home/o/x",
      list: ["fallback", 3, true],
      nested: { b: "d" },
    });
    expect(result.issues).toEqual([]);
    expect([...result.interpolatedPaths]).toEqual(["a", "list[0]", "nested.b"]);
  });

  it("records the values variables gave, not the defaults, with the variables per path", () => {
    const result = interpolateEnvironment(
      { a: "${USER_NAME}:${TOKEN}@host", b: "${MISSING:-literal}", c: "${EMPTY}", d: "${TOKEN}" },
      { USER_NAME: "me", TOKEN: "t0ken-value", EMPTY: "" },
    );
    expect(result.secretValues).toEqual(["me", "t0ken-value"]);
    expect([...result.secretPaths]).toEqual([
      ["a", ["USER_NAME", "TOKEN"]],
      ["d", ["TOKEN"]],
    ]);
  });

  it("keeps keys as written", () => {
    const result = interpolateEnvironment({ "${KEY}": "v" }, { KEY: "k" });
    expect(result.value).toEqual({ "${KEY}": "v" });
  });

  it("turns $${ into a literal ${ without looking up a variable", () => {
    const result = interpolateEnvironment({ a: "$${HOME} and $$ and $x" }, {});
    expect(result.value).toEqual({ a: "${HOME} and $$ and $x" });
    expect(result.issues).toEqual([]);
  });

  it("keeps a default that contains colons and spaces", () => {
    const result = interpolateEnvironment({ url: "${URL:-http://localhost:8080/a b}" }, {});
    expect(result.value).toEqual({ url: "http://localhost:8080/a b" });
  });

  it("reports each unset variable with its path", () => {
    const result = interpolateEnvironment({ models: { grok: { model: "${A}-${B}" } } }, {});
    expect(result.issues.map((issue) => [issue.path, issue.envVar])).toEqual([
      [["models", "grok", "model"], "A"],
      [["models", "grok", "model"], "B"],
    ]);
  });

  it("reports an unclosed reference", () => {
    const result = interpolateEnvironment({ a: "x${OPEN" }, {});
    expect(result.issues).toEqual([expect.objectContaining({ path: ["a"], found: '"${OPEN"' })]);
  });
});
