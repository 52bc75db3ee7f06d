import { readFileSync } from "node:fs";
import pg from "pg";

/**
 * The PostgreSQL side of a drain's cost: the CPU time of the server processes (backends) that
 * serve the bench's worker processes. Each worker process names its connections through
 * PGAPPNAME (`queue_bench_<pid>`; `pg` takes it as the default application_name), so the
 * bench finds their backends in pg_stat_activity and reads their CPU from /proc: only when the
 * server runs on this machine (Linux), and only for a side whose library does not name its
 * connections itself (pg-boss calls them `pgboss`: no figure for it). The server's own
 * background work (WAL writer, checkpointer) is not in it.
 */
export const WORKER_APPLICATION_PREFIX = "queue_bench_";

/** CPU ms per backend pid, of the backends serving the worker processes now. */
export type BackendCpu = ReadonlyMap<number, number>;

/** Ticks per second of /proc/<pid>/stat on Linux (`getconf CLK_TCK`: 100 on every common kernel). */
const TICKS_PER_SECOND = 100;

function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Reads the workers' backends through one connection of its own. */
export class ServerCpuProbe {
  readonly #client: pg.Client;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async open(url: string): Promise<ServerCpuProbe> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on("error", () => {});
    await client.connect();
    return new ServerCpuProbe(client);
  }

  async read(): Promise<BackendCpu> {
    const { rows } = await this.#client.query<{ pid: number }>(
      "select pid from pg_stat_activity where application_name like $1",
      [`${WORKER_APPLICATION_PREFIX}%`],
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = cpuMsOf(pid);
      if (ms !== undefined) cpu.set(pid, ms);
    }
    return cpu;
  }

  close(): Promise<void> {
    return this.#client.end();
  }
}

/** CPU ms the backends spent between two readings (backends that came later count whole); NaN when none was seen. */
export function serverCpuSpent(before: BackendCpu, after: BackendCpu): number {
  if (after.size === 0) return Number.NaN;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}
