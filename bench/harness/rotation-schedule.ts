/** One side's turn in a round: which side (index into the sides), on which host process. */
export interface Slot {
  side: number;
  host: number;
}

/**
 * The turns of one round, in the order they run (one after another, never two at once).
 * `round` counts over every run, so the rotation goes on from one run to the next.
 *
 * - Side `s` runs on host `(s + round) % hosts`: over `hosts` consecutive rounds every side
 *   visits every host once, so what one process happens to be (its heap layout, its JIT's
 *   choices, the core it lands on) weighs on every side alike instead of on one side always.
 * - The first side rotates with the round and odd rounds go backwards, so no side always runs
 *   first, or always right after the same other side.
 */
export function roundSlots(sides: number, hosts: number, round: number): Slot[] {
  if (!Number.isInteger(sides) || sides < 1) throw new Error(`sides must be ≥ 1, got ${sides}`);
  if (!Number.isInteger(hosts) || hosts < 1) throw new Error(`hosts must be ≥ 1, got ${hosts}`);
  const order = Array.from({ length: sides }, (_, offset) => (round + offset) % sides);
  if (round % 2 === 1) order.reverse();
  return order.map((side) => ({ side, host: (side + round) % hosts }));
}
