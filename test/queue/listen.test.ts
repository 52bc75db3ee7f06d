import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { expect, it } from "vitest";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { TASKS_CHANNEL } from "../../src/queue/tasks/ready-signal.js";
import { describeEachStore, testPostgresUrl } from "../helpers/stores.js";
import { waitFor } from "../support/wait-for.js";

describeEachStore("store notifications", (fixture) => {
  it("are offered exactly where the store says it has them", () => {
    expect(typeof fixture.store.listen === "function").toBe(
      fixture.store.capabilities.notifications,
    );
    // SQLite offers the cheap change counter instead.
    expect(typeof fixture.store.dataVersion === "function").toBe(
      !fixture.store.capabilities.notifications,
    );
  });

  it("the change counter moves when another connection commits, not for the store's own commits", async () => {
    const dataVersion = fixture.store.dataVersion?.bind(fixture.store);
    if (!dataVersion) return;
    const first = dataVersion();
    await addTasks(fixture.store, [{ title: "own" }]);
    expect(dataVersion()).toBe(first);
    const other = await fixture.open();
    await addTasks(other, [{ title: "other" }]);
    expect(dataVersion()).not.toBe(first);
  });

  it("hear the queue names of tasks added by another connection, and come back after the connection drops", async () => {
    if (!fixture.store.listen) return;
    // The channel is the database's, shared with whatever else runs on this server: look for
    // our own news only, and end only our own connection.
    const listeners = () =>
      admin.query<{ pid: number }>("select pid from pg_stat_activity where query ilike $1", [
        `listen "${TASKS_CHANNEL}"%`,
      ]);
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    const before = new Set((await listeners()).rows.map((row) => row.pid));
    const heard: (string | undefined)[] = [];
    const subscription = await fixture.store.listen(TASKS_CHANNEL, (payload) =>
      heard.push(payload),
    );
    const ours = (await listeners()).rows.map((row) => row.pid).filter((pid) => !before.has(pid));
    expect(subscription.listening).toBe(true);
    const other = await fixture.open();
    await addTasks(other, [
      { title: "a", queue: "alpha" },
      { title: "b", queue: "beta" },
      { title: "later", queue: "gamma", runAt: Date.now() + 60_000 },
    ]);
    await waitFor(() => heard.includes("alpha") && heard.includes("beta"), {
      what: "two notifications",
    });
    expect(heard).not.toContain("gamma");

    // The server ends the LISTEN connection (a restart, a proxy timeout): it is made again,
    // and the listener is told that it may have missed news.
    expect(ours).toHaveLength(1);
    try {
      await admin.query("select pg_terminate_backend($1)", [ours[0]]);
    } finally {
      await admin.end();
    }
    await waitFor(() => heard.includes(undefined), {
      what: "the reconnect noted",
      timeoutMs: 5_000,
    });
    await waitFor(() => subscription.listening, { what: "listening again" });
    heard.length = 0;
    await addTasks(other, [{ title: "c", queue: "delta" }]);
    await waitFor(() => heard.includes("delta"), { what: "news after the reconnect" });
    await subscription.close();
    expect(subscription.listening).toBe(false);
    await addTasks(other, [{ title: "d", queue: "epsilon" }]);
    await sleep(100);
    expect(heard).not.toContain("epsilon");
  });
});
