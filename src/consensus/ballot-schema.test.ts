import { describe, expect, it } from "vitest";
import { ballotSchema } from "./ballot-schema.js";

const options = ["A", "B", "C"];
const common = { confidence: 0.5, rationale: "why" };

describe("ballot schemas", () => {
  it("accept only the listed options, in every shape", () => {
    expect(ballotSchema("choice", options).safeParse({ choice: "B", ...common }).success).toBe(
      true,
    );
    expect(ballotSchema("choice", options).safeParse({ choice: "b", ...common }).success).toBe(
      false,
    );
    expect(
      ballotSchema("ranking", options).safeParse({ ranking: ["C", "A"], ...common }).success,
    ).toBe(true);
    expect(
      ballotSchema("ranking", options).safeParse({ ranking: ["C", "D"], ...common }).success,
    ).toBe(false);
    expect(ballotSchema("approvals", options).safeParse({ approvals: [], ...common }).success).toBe(
      true,
    );
    expect(
      ballotSchema("approvals", options).safeParse({ approvals: ["Z"], ...common }).success,
    ).toBe(false);
  });

  it("reject repeats, a confidence outside 0–1 and keys of another shape", () => {
    expect(
      ballotSchema("ranking", options).safeParse({ ranking: ["A", "A"], ...common }).success,
    ).toBe(false);
    expect(
      ballotSchema("approvals", options).safeParse({ approvals: ["A", "A"], ...common }).success,
    ).toBe(false);
    expect(
      ballotSchema("choice", options).safeParse({ choice: "A", confidence: 1.5, rationale: "x" })
        .success,
    ).toBe(false);
    expect(
      ballotSchema("choice", options).safeParse({ choice: "A", ranking: ["A"], ...common }).success,
    ).toBe(false);
  });
});
