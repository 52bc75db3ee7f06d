import { describeDriverError } from "../driver-error.js";
import { StoreError } from "../store-error.js";

/** serialization_failure, deadlock_detected, lock_not_available: the transaction may succeed again. */
const CONFLICT_STATES = new Set(["40001", "40P01", "55P03"]);
/** Server going away or too busy to accept us: worth reconnecting. */
const TRANSIENT_CONNECTION_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);
/** insufficient_privilege: the user may not create or touch what Orkestra needs. */
const PERMISSION_STATE = "42501";
/** Wrong password, unknown user, database or schema: retrying will not help. */
const PERMANENT_CONNECTION_STATES = new Set(["28P01", "28000", "3D000", "3F000"]);
const TRANSIENT_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** Messages `pg` uses for connections that dropped or never came up (no code attached). */
const TRANSIENT_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|not queryable|connection error/i;

/** Maps a `pg` error (SQLSTATE in `code`, or a Node errno) to a StoreError. */
export function mapPostgresError(error: unknown, closed: boolean, displayUrl: string): StoreError {
  const { message, driverCode } = describeDriverError(error);
  const code = driverCode ?? "";
  if (closed || /after calling end on the pool/i.test(message)) {
    return new StoreError(`The store ${displayUrl} is closed.`, {
      code: "store.closed",
      hint: "Open a new store with openStore().",
      cause: error,
    });
  }
  if (CONFLICT_STATES.has(code)) {
    return new StoreError(`The transaction conflicted with another one: ${message}`, {
      code: "store.busy",
      driverCode,
      retryable: true,
      hint: "Run the transaction again.",
      cause: error,
    });
  }
  if (code.startsWith("23")) {
    return new StoreError(`Constraint violated: ${message}`, {
      code: "store.constraint",
      driverCode,
      cause: error,
    });
  }
  if (code === PERMISSION_STATE) {
    return new StoreError(`PostgreSQL at ${displayUrl} refused: ${message}`, {
      code: "store.permission",
      driverCode,
      hint: permissionHint(displayUrl),
      cause: error,
    });
  }
  const transient =
    code.startsWith("08") ||
    TRANSIENT_CONNECTION_STATES.has(code) ||
    TRANSIENT_ERRNOS.has(code) ||
    (driverCode === undefined && TRANSIENT_MESSAGES.test(message));
  if (transient || PERMANENT_CONNECTION_STATES.has(code) || code === "ENOTFOUND") {
    return new StoreError(`PostgreSQL at ${displayUrl} is unreachable: ${message}`, {
      code: "store.connect",
      driverCode,
      retryable: transient,
      hint: "Check that the server is running and that the host, port, user, password and database in the store URL are right.",
      cause: error,
    });
  }
  return new StoreError(`Store query failed: ${message}`, {
    code: "store.query",
    driverCode,
    cause: error,
  });
}

/** What to grant, with the store's own user, database and schema when the URL names them. */
function permissionHint(displayUrl: string): string {
  let user = "<user>";
  let database = "<database>";
  let schema: string | undefined;
  try {
    const url = new URL(displayUrl);
    user = decodeURIComponent(url.username) || user;
    database = decodeURIComponent(url.pathname.slice(1)) || database;
    schema = url.searchParams.get("schema") ?? undefined;
  } catch {
    // Not a URL (a libpq key=value string): keep the placeholders.
  }
  const grant = schema
    ? `GRANT CREATE ON DATABASE "${database}" TO "${user}" (to create schema ${schema}), or create the schema for it: CREATE SCHEMA "${schema}" AUTHORIZATION "${user}"`
    : `GRANT CREATE ON SCHEMA public TO "${user}", or add ?schema=<name> to the store URL with a schema that user owns`;
  return `Orkestra creates its tables when it opens a store, which needs the CREATE right. As the database owner run: ${grant}. Or open the store once as a user that has the right, so the tables exist.`;
}
