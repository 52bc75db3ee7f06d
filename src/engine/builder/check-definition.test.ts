import { describe, expect, it } from "vitest";
import { workflow } from "./workflow-builder.js";

const noop = () => null;

describe("the builder's checks", () => {
  it("rejects duplicate ids and unknown needs, naming each", () => {
    const build = () =>
      workflow("bad")
        .step("a", { run: noop })
        .step("a", { run: noop })
        .step("b", { needs: ["nope"], run: noop })
        .build();
    expect(build).toThrow(/steps\.a: duplicate step id "a"/);
    expect(build).toThrow(/steps\.b\.needs: "nope" is not a step/);
  });

  it("reports a cycle as its path", () => {
    const build = () =>
      workflow("cyclic")
        .step("s1", { needs: ["s3"], run: noop })
        .step("s2", { needs: ["s1"], run: noop })
        .step("s3", { needs: ["s2"], run: noop })
        .build();
    expect(build).toThrow(/cycle: s1 → s2 → s3 → s1|cycle: s1 → s3 → s2 → s1/);
  });

  it("rejects two parallel writers of a channel whose reducer does not merge", () => {
    const build = (reducer: "replace" | "append") =>
      workflow("writers")
        .state("verdict", { reducer })
        .step("a", { run: noop, writes: { verdict: () => 1 } })
        .step("b", { run: noop, writes: { verdict: () => 2 } })
        .build();
    expect(() => build("replace")).toThrow(/state\.verdict: steps "a" and "b" may run at once/);
    expect(() => build("append")).not.toThrow();
  });

  it("allows ordered writers of a replace channel, and rejects writes to unknown channels", () => {
    expect(() =>
      workflow("ordered")
        .state("verdict")
        .step("a", { run: noop, writes: { verdict: () => 1 } })
        .step("b", { needs: ["a"], run: noop, writes: { verdict: () => 2 } })
        .build(),
    ).not.toThrow();
    expect(() =>
      workflow("unknown")
        .step("a", { run: noop, writes: { nowhere: () => 1 } })
        .build(),
    ).toThrow(/"nowhere" is not a state channel/);
  });

  it("rejects a fallback that is not a step", () => {
    expect(() =>
      workflow("f")
        .step("a", { run: noop, onFailure: { fallback: "ghost" } })
        .build(),
    ).toThrow(/fallback "ghost" is not a step/);
  });
});
