import type { StoreCapabilities } from "../store.js";

export const SQLITE_CAPABILITIES: StoreCapabilities = Object.freeze({
  multipleConnections: false,
  skipLocked: false,
  notifications: false,
  rowLocks: false,
  dataModifyingCtes: false,
  arrayParameters: false,
});
