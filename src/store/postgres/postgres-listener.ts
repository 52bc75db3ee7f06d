import pg from "pg";
import type { StoreSubscription } from "../store.js";

/** First wait before reconnecting a lost LISTEN connection; doubles up to the cap. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_CAP_MS = 5_000;
const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * LISTENs on `channel` over a dedicated connection (a pooled one would be handed to other
 * queries). Notifications are a hint: when the connection drops, it is re-established with
 * backoff, and `onNotify` is called once with `undefined` after each reconnect, since whatever
 * was sent meanwhile is lost. Resolves once the first LISTEN is in place, or once the first
 * attempt has failed (retrying then continues in the background): the caller keeps polling
 * either way. Connection errors are never thrown or logged (they may carry connection details).
 */
export async function listenPostgres(
  connectionString: string,
  channel: string,
  onNotify: (payload: string | undefined) => void,
): Promise<StoreSubscription> {
  let closed = false;
  let client: pg.Client | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let delayMs = RECONNECT_FIRST_MS;
  let everConnected = false;

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delayMs);
    retryTimer.unref?.();
    delayMs = Math.min(delayMs * 2, RECONNECT_CAP_MS);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString,
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on("error", onLost);
    next.on("end", onLost);
    next.on("notification", (message) => {
      if (message.channel === channel) onNotify(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch {
      onLost();
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    delayMs = RECONNECT_FIRST_MS;
    if (everConnected) onNotify(undefined);
    everConnected = true;
  };

  await connect();
  return {
    get listening() {
      return client !== undefined;
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
