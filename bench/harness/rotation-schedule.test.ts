import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { roundSlots } from "./rotation-schedule.js";

describe("roundSlots", () => {
  it("runs every side exactly once per round", () => {
    for (let round = 0; round < 7; round += 1) {
      const sides = roundSlots(5, 5, round).map((slot) => slot.side);
      assert.deepEqual(
        [...sides].sort((left, right) => left - right),
        [0, 1, 2, 3, 4],
      );
    }
  });

  it("puts every side on every host once over as many rounds as there are hosts", () => {
    for (const hosts of [1, 2, 3, 5]) {
      const visited = new Map<number, number[]>();
      for (let round = 10; round < 10 + hosts; round += 1) {
        for (const slot of roundSlots(5, hosts, round)) {
          visited.set(slot.side, [...(visited.get(slot.side) ?? []), slot.host]);
        }
      }
      for (const [side, onHosts] of visited) {
        assert.deepEqual(
          [...onHosts].sort((left, right) => left - right),
          Array.from({ length: hosts }, (_, host) => host),
          `side ${side} with ${hosts} hosts`,
        );
      }
    }
  });

  it("gives one host to one side per round when there are as many hosts as sides", () => {
    const hosts = roundSlots(4, 4, 3).map((slot) => slot.host);
    assert.equal(new Set(hosts).size, 4);
  });

  it("changes which side goes first and which side precedes which", () => {
    const firsts = new Set<number>();
    const predecessorsOfZero = new Set<number>();
    for (let round = 0; round < 6; round += 1) {
      const order = roundSlots(3, 3, round).map((slot) => slot.side);
      firsts.add(order[0] ?? -1);
      const index = order.indexOf(0);
      if (index > 0) predecessorsOfZero.add(order[index - 1] ?? -1);
    }
    assert.equal(firsts.size, 3);
    assert.equal(predecessorsOfZero.size, 2);
  });

  it("refuses an empty plan", () => {
    assert.throws(() => roundSlots(0, 1, 0), /sides must be ≥ 1/);
    assert.throws(() => roundSlots(1, 0, 0), /hosts must be ≥ 1/);
  });
});
