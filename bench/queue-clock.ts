/**
 * One clock for the bench and its worker processes: `performance.timeOrigin +
 * performance.now()`, milliseconds since the epoch with µs resolution. Each process's origin
 * is read from the wall clock once, at its start, so two processes can disagree by a constant
 * (NTP steps, rounding); `clockOffset` measures that constant and the bench subtracts it.
 */
export function clockNow(): number {
  return performance.timeOrigin + performance.now();
}

/** One ping: the bench's clock when it sent and when it got the answer, the worker's in between. */
export interface ClockPing {
  sentAt: number;
  workerAt: number;
  receivedAt: number;
}

/** The worker's clock minus the bench's, with its uncertainty (half the round trip). */
export interface ClockOffset {
  offsetMs: number;
  uncertaintyMs: number;
}

/**
 * From the ping with the shortest round trip (the one least delayed by scheduling): the worker
 * read its clock somewhere inside that round trip, so the offset is its reading minus the
 * round trip's midpoint, give or take half the round trip.
 */
export function clockOffset(pings: readonly ClockPing[]): ClockOffset {
  let best: ClockPing | undefined;
  for (const ping of pings) {
    if (!best || ping.receivedAt - ping.sentAt < best.receivedAt - best.sentAt) best = ping;
  }
  if (!best) throw new Error("clockOffset needs at least one ping");
  const roundTrip = best.receivedAt - best.sentAt;
  return {
    offsetMs: best.workerAt - (best.sentAt + roundTrip / 2),
    uncertaintyMs: roundTrip / 2,
  };
}
