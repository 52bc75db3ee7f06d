import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { differenceOf, figureOf, ratioOf, spreadOf } from "./spread.js";

const value = (sample: number): number => sample;

describe("spread over runs", () => {
  it("takes the median of each run's rounds, then the median and range over runs", () => {
    const spread = figureOf(
      [
        [1, 2, 30],
        [4, 5, 6],
        [7, 8, 9],
      ],
      value,
    );
    assert.deepEqual(spread.perRun, [2, 5, 8]);
    assert.equal(spread.median, 5);
    assert.equal(spread.min, 2);
    assert.equal(spread.max, 8);
  });

  it("pairs a difference by round before taking medians", () => {
    // Round effects (the machine got slower in round 2) cancel only when paired by round.
    const side = [[10, 110, 12]];
    const baseline = [[9, 100, 2]];
    assert.equal(differenceOf(side, baseline, value).median, 10);
    assert.equal(figureOf(side, value).median - figureOf(baseline, value).median, 3);
  });

  it("pairs ratios by round", () => {
    const spread = ratioOf([[2, 40], [6]], [[1, 20], [2]], value);
    assert.deepEqual(spread.perRun, [2, 3]);
    assert.equal(spread.median, 2.5);
  });

  it("leaves runs without a figure out of the median and the range", () => {
    const spread = spreadOf([Number.NaN, 4, 2]);
    assert.equal(spread.median, 3);
    assert.equal(spread.min, 2);
    assert.equal(spread.max, 4);
  });
});

describe("verdict", () => {
  it("says when the runs disagree with the median", async () => {
    const { verdict } = await import("./verdict.js");
    assert.equal(
      verdict(spreadOf([1, 2, 3]), (value) => value < 5),
      "MET (all 3 runs)",
    );
    assert.match(
      verdict(spreadOf([1, 2, 9]), (value) => value < 5),
      /^MET on the median, but 1 of 3/,
    );
    assert.match(
      verdict(spreadOf([6, 7, 1]), (value) => value < 5),
      /^MISSED on the median/,
    );
  });
});
