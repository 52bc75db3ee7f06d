import type { StoreCapabilities } from "../store.js";

export const POSTGRES_CAPABILITIES: StoreCapabilities = Object.freeze({
  multipleConnections: true,
  skipLocked: true,
  notifications: true,
  rowLocks: true,
  dataModifyingCtes: true,
  arrayParameters: true,
});
