import { describe, expect, it } from "vitest";
import type { StateChannel } from "../workflow-definition.js";
import { foldState } from "./fold-state.js";
import { BUILTIN_REDUCERS, initialValue } from "./reducers.js";

describe("built-in reducers", () => {
  it("replace keeps the last write", () => {
    expect(BUILTIN_REDUCERS.replace("a", "b")).toBe("b");
  });
  it("append adds one element, or each element of an array", () => {
    expect(BUILTIN_REDUCERS.append([1], 2)).toEqual([1, 2]);
    expect(BUILTIN_REDUCERS.append([1], [2, 3])).toEqual([1, 2, 3]);
    expect(BUILTIN_REDUCERS.append(undefined, "x")).toEqual(["x"]);
  });
  it("merge merges plain objects deeply and replaces arrays", () => {
    expect(BUILTIN_REDUCERS.merge({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 } })).toEqual({
      a: { b: 1, c: [2], e: 3 },
      d: 1,
    });
  });
  it("sum, max and min fold numbers", () => {
    expect(BUILTIN_REDUCERS.sum(2, 3)).toBe(5);
    expect(BUILTIN_REDUCERS.max(2, 3)).toBe(3);
    expect(BUILTIN_REDUCERS.max(undefined, -1)).toBe(-1);
    expect(BUILTIN_REDUCERS.min(2, 3)).toBe(2);
    expect(() => BUILTIN_REDUCERS.sum(1, "x")).toThrow(/needs numbers/);
  });
  it("gives each reducer its initial value", () => {
    expect(initialValue({ name: "a", reducer: "append", scope: "run" })).toEqual([]);
    expect(initialValue({ name: "m", reducer: "merge", scope: "run" })).toEqual({});
    expect(initialValue({ name: "s", reducer: "sum", scope: "run" })).toBe(0);
    expect(initialValue({ name: "r", reducer: "replace", scope: "run", initial: 7 })).toBe(7);
  });
});

describe("foldState", () => {
  const channels: StateChannel[] = [
    { name: "log", reducer: "append", scope: "run" },
    { name: "score", reducer: "replace", scope: "iteration", initial: 0 },
    {
      name: "joined",
      reducer: { name: "join", reduce: (a, b) => `${a ?? ""}${String(b)}`, merging: true },
      scope: "run",
    },
  ];

  it("applies writes in step order, whatever order they were committed in", () => {
    const deltas = [
      { iteration: 0, stepIndex: 2, writes: { log: "c", joined: "c" } },
      { iteration: 0, stepIndex: 0, writes: { log: "a", joined: "a" } },
      { iteration: 0, stepIndex: 1, writes: { log: "b", joined: "b" } },
    ];
    expect(foldState(channels, deltas, 0)).toEqual({
      log: ["a", "b", "c"],
      score: 0,
      joined: "abc",
    });
    expect(foldState(channels, [...deltas].reverse(), 0)).toEqual(foldState(channels, deltas, 0));
  });

  it("resets iteration-scoped channels at each iteration and keeps run-scoped ones", () => {
    const deltas = [
      { iteration: 0, stepIndex: 0, writes: { log: "first", score: 0.5 } },
      { iteration: 1, stepIndex: 0, writes: { log: "second" } },
    ];
    expect(foldState(channels, deltas, 0)).toMatchObject({ log: ["first"], score: 0.5 });
    expect(foldState(channels, deltas, 1)).toMatchObject({ log: ["first", "second"], score: 0 });
  });
});
