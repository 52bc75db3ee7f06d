import type { QueueSideAdapter } from "../queue-side.js";

/** A peer side: the adapter and exactly what it runs with. */
export interface PeerQueueSide extends QueueSideAdapter {
  /** The library, its version and the options given, word for word. */
  label: string;
}

export const GRAPHILE_WORKER_CONFIGS: Readonly<Record<"defaults" | "tuned", object>>;
export const PG_BOSS_CONFIGS: Readonly<Record<"defaults" | "tuned", object>>;
export function graphileWorkerSide(configName: "defaults" | "tuned"): PeerQueueSide;
export function pgBossSide(configName: "defaults" | "tuned"): PeerQueueSide;
