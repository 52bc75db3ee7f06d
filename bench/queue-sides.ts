import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { QueueSideAdapter } from "./queue-side.js";

/** A side, loaded: the adapter and what it runs with, in words the tables print. */
export interface LoadedQueueSide extends QueueSideAdapter {
  label: string;
}

/** How the bench finds a side, before loading it. */
export interface QueueSideEntry {
  /** PostgreSQL sides share the server; SQLite sides get a file each (Orkestra only). */
  store: "postgres" | "sqlite";
  /** From bench/peers (left out, with a note, when bench/peers/node_modules is missing). */
  peer: boolean;
  load(): Promise<LoadedQueueSide>;
}

async function peerSides() {
  const why = missingQueuePeers();
  if (why) throw new Error(why);
  return import("./peers/queue-peer-sides.mjs");
}

/**
 * Every side the queue bench knows. Orkestra's queue (`queue-orkestra-side.ts`) is
 * `orkestra:postgres` and `orkestra:sqlite` at the settings chosen for it, and the same with
 * `-defaults` at the Worker's defaults; `orkestra:postgres` is the one issue 10's targets judge.
 */
const SIDES = {
  "graphile-worker:defaults": {
    store: "postgres",
    peer: true,
    load: async () => (await peerSides()).graphileWorkerSide("defaults"),
  },
  "graphile-worker:tuned": {
    store: "postgres",
    peer: true,
    load: async () => (await peerSides()).graphileWorkerSide("tuned"),
  },
  "pg-boss:defaults": {
    store: "postgres",
    peer: true,
    load: async () => (await peerSides()).pgBossSide("defaults"),
  },
  "pg-boss:tuned": {
    store: "postgres",
    peer: true,
    load: async () => (await peerSides()).pgBossSide("tuned"),
  },
  "orkestra:postgres": {
    store: "postgres",
    peer: false,
    load: async () => (await import("./queue-orkestra-side.js")).orkestraQueueSide("tuned"),
  },
  "orkestra:postgres-defaults": {
    store: "postgres",
    peer: false,
    load: async () => (await import("./queue-orkestra-side.js")).orkestraQueueSide("defaults"),
  },
  "orkestra:sqlite": {
    store: "sqlite",
    peer: false,
    load: async () => (await import("./queue-orkestra-side.js")).orkestraQueueSide("tuned"),
  },
  "orkestra:sqlite-defaults": {
    store: "sqlite",
    peer: false,
    load: async () => (await import("./queue-orkestra-side.js")).orkestraQueueSide("defaults"),
  },
} satisfies Record<string, QueueSideEntry>;

export type QueueSideName = keyof typeof SIDES;
export const QUEUE_SIDES: Readonly<Record<QueueSideName, QueueSideEntry>> = SIDES;
export const QUEUE_SIDE_NAMES = Object.keys(QUEUE_SIDES) as QueueSideName[];

const PEERS_DIRECTORY = fileURLToPath(new URL("./peers/", import.meta.url));
const PEER_PACKAGES = ["graphile-worker", "pg-boss"];

/** Why the peer sides cannot run, or undefined when they can. */
export function missingQueuePeers(): string | undefined {
  const missing = PEER_PACKAGES.filter(
    (name) => !existsSync(`${PEERS_DIRECTORY}node_modules/${name}/package.json`),
  );
  if (missing.length === 0) return undefined;
  return (
    `${missing.join(" and ")} not installed in ${PEERS_DIRECTORY}node_modules; install them ` +
    "(from the repository root, with the project's Node): " +
    "PATH=$PWD/node_modules/.bin:$PATH npm --prefix bench/peers install"
  );
}

export function queueSideEntry(name: QueueSideName): QueueSideEntry {
  return QUEUE_SIDES[name];
}

/** Side names from a comma list (BENCH_SIDES), or every known side when unset. */
export function queueSidesFrom(list: string | undefined): QueueSideName[] {
  if (list === undefined || list.trim() === "") return [...QUEUE_SIDE_NAMES];
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(QUEUE_SIDE_NAMES as readonly string[]).includes(name)) {
      throw new Error(
        `unknown side "${name}" in BENCH_SIDES; known: ${QUEUE_SIDE_NAMES.join(", ")}`,
      );
    }
  }
  return names as QueueSideName[];
}

export function isQueueSideName(name: string): name is QueueSideName {
  return (QUEUE_SIDE_NAMES as readonly string[]).includes(name);
}
