import pg from "pg";

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Type parsers for this pool only (the global `pg.types` stays untouched for other users of
 * `pg` in the process). int8 holds epoch ms and nano-USD, numeric holds SUM() over them: both
 * stay far below 2^53, so plain numbers are exact and keep both backends returning the same.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && format !== "binary") return Number;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** How long to wait for a new connection before failing with `store.connect`. */
const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * A `pg` Pool for one store. `schema` becomes the `search_path` through the startup `options`
 * parameter, so every pooled connection has it from its first statement on.
 */
export function createPostgresPool(connectionString: string, schema: string | undefined): pg.Pool {
  const pool = new pg.Pool({
    connectionString: withSearchPath(connectionString, schema),
    types,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
  });
  // A connection that dies while idle in the pool, or while checked out between two queries,
  // is reported as an 'error' event; unhandled, that event would crash the process. The pool
  // already drops the idle client, and the next query on a checked-out one fails and is mapped
  // to a StoreError, so there is nothing to do here, and nothing is logged (the error may
  // carry connection details).
  pool.on("error", ignore);
  pool.on("connect", (client) => client.on("error", ignore));
  return pool;
}

/** `connectionString` with `schema` as the search_path of every session it opens. */
export function withSearchPath(connectionString: string, schema: string | undefined): string {
  if (schema === undefined) return connectionString;
  const url = new URL(connectionString);
  const existing = url.searchParams.get("options");
  const searchPath = `-c search_path=${schema}`;
  url.searchParams.set("options", existing ? `${existing} ${searchPath}` : searchPath);
  return url.toString();
}

function ignore(): void {}
