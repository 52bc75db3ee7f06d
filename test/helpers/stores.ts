import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeAll, beforeEach, describe } from "vitest";
import {
  displayStoreUrl,
  type OpenStoreOptions,
  type Store,
  type StoreDialect,
} from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";

/**
 * The conformance harness: the same tests against every backend named in `STORES`
 * (`sqlite,postgres` by default; `STORES=sqlite` narrows a local run). Each test gets a fresh
 * database: a new SQLite file in a temporary directory, or a new PostgreSQL schema
 * (`?schema=t_<random>`) dropped afterwards. PostgreSQL comes from `ORKESTRA_TEST_POSTGRES_URL`.
 *
 *   describeEachStore("budget counters", (fixture) => {
 *     it("reserves atomically", async () => {
 *       const store = fixture.store; // migrated, closed and dropped after the test
 *     });
 *   });
 */

const ALL_DIALECTS: readonly StoreDialect[] = ["sqlite", "postgres"];
const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Backends to test, from `STORES`; an unknown name is an error, not a silent skip. */
export function testStoreDialects(): StoreDialect[] {
  const requested = (process.env.STORES ?? ALL_DIALECTS.join(","))
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  for (const name of requested) {
    if (!(ALL_DIALECTS as readonly string[]).includes(name)) {
      throw new Error(`STORES names unknown backend "${name}"; use ${ALL_DIALECTS.join(", ")}.`);
    }
  }
  return requested as StoreDialect[];
}

/** The PostgreSQL server tests use, without any `schema` parameter. */
export function testPostgresUrl(): string {
  const url = new URL(process.env.ORKESTRA_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL);
  url.searchParams.delete("schema");
  return url.toString();
}

/** A fresh, empty database for one test: not opened, not migrated. */
export interface TestDatabase {
  readonly dialect: StoreDialect;
  /** Store URL of the fresh database; give it to `openStore` or to a child process. */
  readonly url: string;
  /** Deletes the file or drops the schema. */
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: StoreDialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-store-"));
    return {
      dialect,
      url: `sqlite:${join(directory, "store.db")}`,
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  await assertPostgresReachable();
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const url = new URL(testPostgresUrl());
  url.searchParams.set("schema", schema);
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      await withPostgresClient((client) =>
        client.query(`drop schema if exists "${schema}" cascade`),
      );
    },
  };
}

/** What a test inside `describeEachStore` can use. */
export interface StoreFixture {
  readonly dialect: StoreDialect;
  /** The URL of this test's fresh database. */
  readonly url: string;
  /** This test's store, opened (and migrated) before the test, closed after it. */
  readonly store: Store;
  /** Opens one more store on this test's database (a second process, in effect); closed after the test. */
  open(options?: OpenStoreOptions): Promise<Store>;
}

export interface DescribeEachStoreOptions {
  /** Open `fixture.store` before each test; off for tests that open the database themselves. @defaultValue true */
  openStore?: boolean;
  /** Options for that store. @defaultValue {} */
  storeOptions?: OpenStoreOptions;
}

/** Defines the suite once per backend in `STORES`: `"<title> [sqlite]"`, `"<title> [postgres]"`. */
export function describeEachStore(
  title: string,
  define: (fixture: StoreFixture) => void,
  options: DescribeEachStoreOptions = {},
): void {
  for (const dialect of testStoreDialects()) {
    describe(`${title} [${dialect}]`, () => {
      let database: TestDatabase | undefined;
      let store: Store | undefined;
      let opened: Store[] = [];

      if (dialect === "postgres") beforeAll(assertPostgresReachable);

      beforeEach(async () => {
        database = await createTestDatabase(dialect);
        if (options.openStore ?? true) {
          store = await openOrkestraStore(database.url, options.storeOptions);
        }
      });

      afterEach(async () => {
        const toClose = [...opened, ...(store ? [store] : [])];
        opened = [];
        store = undefined;
        await Promise.all(toClose.map((each) => each.close()));
        await database?.drop();
        database = undefined;
      });

      define({
        dialect,
        get url() {
          if (!database) throw new Error("fixture.url is only available inside a test");
          return database.url;
        },
        get store() {
          if (!store) {
            throw new Error(
              "fixture.store is only available inside a test of a suite that opens it (openStore: true)",
            );
          }
          return store;
        },
        async open(openOptions?: OpenStoreOptions) {
          if (!database) throw new Error("fixture.open() is only available inside a test");
          const another = await openOrkestraStore(database.url, openOptions);
          opened.push(another);
          return another;
        },
      });
    });
  }
}

let reachability: Promise<void> | undefined;

/** Fails loudly, with how to fix it, when PostgreSQL was asked for but does not answer. Checked once per process. */
export function assertPostgresReachable(): Promise<void> {
  reachability ??= checkPostgresReachable(testPostgresUrl());
  return reachability;
}

/** Connects to `url` once; the error says how to start the local server or narrow the run. */
export async function checkPostgresReachable(url: string): Promise<void> {
  try {
    await withPostgresClient((client) => client.query("select 1"), url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      [
        `STORES includes postgres, but PostgreSQL at ${displayStoreUrl(url)} is unreachable (${reason}).`,
        "Start the local server: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
        "or point ORKESTRA_TEST_POSTGRES_URL at one, or test SQLite only: STORES=sqlite npx vitest run",
      ].join("\n"),
    );
  }
}

async function withPostgresClient<T>(
  work: (client: pg.Client) => Promise<T>,
  url: string = testPostgresUrl(),
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
