import type { FakeProviderBaseURLs } from "../src/testing/index.js";

/** What the server process saw since start or the last reset. Times are its own clock, ms. */
export interface ServerStats {
  requests: number;
  /** Requests received and not yet answered, at the busiest arrival. */
  peakInFlight: number;
  /** Open TCP connections at the busiest arrival. */
  peakConnections: number;
  firstArrivalMs: number;
  lastArrivalMs: number;
  /** The server process's user plus system CPU, µs. */
  cpuUs: number;
}

/** Messages between a benchmark and its server process, both ways. */
export type ServerMessage =
  | { type: "ready"; baseURL: FakeProviderBaseURLs }
  | { type: "stats"; stats?: ServerStats }
  | { type: "reset-stats" };
