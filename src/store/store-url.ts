import { REDACTED, redactSecrets } from "../observability/index.js";
import { StoreError } from "./store-error.js";

/** Where a store lives, parsed from its URL. */
export type StoreTarget =
  | {
      readonly dialect: "sqlite";
      /** A file path as given (relative paths resolve against the working directory) or `:memory:`. */
      readonly path: string;
      readonly displayUrl: string;
    }
  | {
      readonly dialect: "postgres";
      /** The URL handed to `pg`: our own `schema` parameter removed, the password kept. */
      readonly connectionString: string;
      /** Schema that holds our tables and becomes the `search_path`; the server's default when absent. */
      readonly schema: string | undefined;
      readonly displayUrl: string;
    };

const ACCEPTED =
  "Use sqlite:<path> (for example sqlite:.orkestra/orkestra.db, or sqlite::memory: for tests) " +
  "or postgres://user:password@host:5432/database, optionally with ?schema=<name>.";

/**
 * A plain lower-case identifier: it goes into DDL and into `search_path`, which folds unquoted
 * names to lower case, so anything else would name two different schemas.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Parses a store URL; throws StoreError `store.invalid_url` naming what is accepted. */
export function parseStoreUrl(url: string): StoreTarget {
  const trimmed = url.trim();
  if (/^sqlite:/i.test(trimmed)) return parseSqliteUrl(trimmed);
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return parsePostgresUrl(trimmed);
  throw invalidUrl(`Unsupported store URL "${redactSecrets(trimmed)}".`);
}

/** The URL with any password replaced by `***`; safe to print and log. */
export function displayStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return redactSecrets(url);
    parsed.password = REDACTED;
    return parsed.toString();
  } catch {
    return redactSecrets(url);
  }
}

function parseSqliteUrl(url: string): StoreTarget {
  // `sqlite:///abs/file.db` and `sqlite://file.db` are common spellings of the same thing.
  const path = url.replace(/^sqlite:(\/\/(?=\/|[^/]))?/i, "");
  if (path === "") throw invalidUrl(`The store URL "${url}" names no file.`);
  return { dialect: "sqlite", path, displayUrl: url };
}

function parsePostgresUrl(url: string): StoreTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw invalidUrl(`The store URL "${displayStoreUrl(url)}" is not a valid URL.`, error);
  }
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw invalidUrl(
      `The schema "${schema}" in the store URL is not a plain identifier (lower-case letters, digits and _, at most 63, not starting with a digit).`,
    );
  }
  parsed.searchParams.delete("schema");
  return {
    dialect: "postgres",
    connectionString: parsed.toString(),
    schema,
    displayUrl: displayStoreUrl(url),
  };
}

function invalidUrl(message: string, cause?: unknown): StoreError {
  return new StoreError(message, { code: "store.invalid_url", hint: ACCEPTED, cause });
}
