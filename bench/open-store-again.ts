import { openOrkestraStore, type Store } from "../src/index.js";

/**
 * Before ceef0a8 the PostgreSQL migration introspected every schema on the server and failed
 * when another client (a test suite on the same server) dropped one meanwhile; opening again
 * succeeds. This tells that failure from any other.
 */
export function isDroppedSchemaRace(message: string): boolean {
  return /schema "[^"]+" does not exist/.test(message);
}

/** openOrkestraStore, opened again (at most three tries) only after that race. */
export async function openStoreAgain(url: string): Promise<Store> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openOrkestraStore(url);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= 3 || !isDroppedSchemaRace(message)) throw error;
    }
  }
}
