/**
 * Runs the fake provider server in its own process, so the benchmarked client has a core and an
 * event loop to itself. Started by `server-process.ts`; talks over the IPC channel.
 *
 * FAKE_SERVER_DELAY_MS: latency of every reply (time to first byte), default 0.
 */
import { performance } from "node:perf_hooks";
import { startFakeProviderServer } from "../src/testing/index.js";
import type { ServerMessage, ServerStats } from "./server-messages.js";

const delayMs = Number(process.env.FAKE_SERVER_DELAY_MS ?? "0");
const server = await startFakeProviderServer({ record: false });

const emptyStats: ServerStats = {
  requests: 0,
  peakInFlight: 0,
  peakConnections: 0,
  firstArrivalMs: Number.NaN,
  lastArrivalMs: Number.NaN,
  cpuUs: 0,
};
const stats: ServerStats = { ...emptyStats };
let cpuAtReset = process.cpuUsage();
const reply = delayMs > 0 ? ({ kind: "reply", delayMs } as const) : ({ kind: "reply" } as const);

server.setDefault(() => {
  const now = performance.now();
  stats.requests += 1;
  if (stats.requests === 1) stats.firstArrivalMs = now;
  stats.lastArrivalMs = now;
  stats.peakInFlight = Math.max(stats.peakInFlight, server.inFlight);
  stats.peakConnections = Math.max(stats.peakConnections, server.openConnections);
  return reply;
});

function send(message: ServerMessage): void {
  process.send?.(message);
}

process.on("message", (message: ServerMessage) => {
  if (message.type === "stats") {
    const cpu = process.cpuUsage(cpuAtReset);
    send({ type: "stats", stats: { ...stats, cpuUs: cpu.user + cpu.system } });
  }
  if (message.type === "reset-stats") {
    Object.assign(stats, emptyStats);
    cpuAtReset = process.cpuUsage();
    send({ type: "reset-stats" });
  }
});
process.on("disconnect", () => {
  void server.close().then(() => process.exit(0));
});
send({ type: "ready", baseURL: server.baseURL });
