import pg from "pg";

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL at ${new URL(url).host} is unreachable (${reason}); start it, point ` +
        "BENCH_POSTGRES_URL at one, or leave the PostgreSQL sides out: BENCH_SIDES=…",
    );
  }
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** An empty schema for one run; an old one of the same name (a crashed run) is dropped first. */
export async function createPostgresSchema(url: string, schema: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`create schema "${schema}"`);
  });
}

export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) => client.query(`drop schema if exists "${schema}" cascade`));
}
