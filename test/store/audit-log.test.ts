import { sql } from "kysely";
import { expect, it } from "vitest";
import { type AuditEventInput, createAuditLog, StoreError } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

const event = (overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
  actor: "cli:alice",
  action: "config:validate",
  resource: "orkestra.yaml",
  outcome: "success",
  ...overrides,
});

describeEachStore("audit log", (fixture) => {
  it("appends an event and reads it back with an id, a time and its data", async () => {
    const { audit } = fixture.store;
    const before = Date.now();
    const appended = await audit.append(event({ data: { models: 3, nested: { ok: true } } }));
    expect(appended).toMatchObject({
      actor: "cli:alice",
      action: "config:validate",
      resource: "orkestra.yaml",
      outcome: "success",
      data: { models: 3, nested: { ok: true } },
    });
    expect(typeof appended.id).toBe("number");
    expect(appended.at).toBeGreaterThanOrEqual(before);
    expect(await audit.query()).toEqual([appended]);
  });

  it("redacts secrets in data before storing them", async () => {
    const { store } = fixture;
    await store.audit.append(
      event({
        data: {
          apiKey: "plain-value-under-a-secret-name",
          note: "called with sk-ant-api03-abcdefghijklmnop",
          url: "postgres://bob:hunter2@db:5432/x",
        },
      }),
    );
    const { rows } = await sql<{ data: string }>`select data from audit_events`.execute(store.db);
    const stored = rows[0]!.data;
    expect(stored).not.toContain("plain-value-under-a-secret-name");
    expect(stored).not.toContain("sk-ant-api03-abcdefghijklmnop");
    expect(stored).not.toContain("hunter2");
    expect(JSON.parse(stored)).toMatchObject({ note: expect.stringContaining("***") });
  });

  it("filters by since, action, actor and afterId, oldest first, up to limit", async () => {
    const { audit } = fixture.store;
    const first = await audit.append(event({ at: 1000, action: "model:call", actor: "gateway" }));
    const second = await audit.append(event({ at: 2000, action: "config:validate" }));
    const third = await audit.append(event({ at: 3000, action: "model:call", actor: "gateway" }));
    const fourth = await audit.append(
      event({ at: 4000, action: "model:call", actor: "cli:alice" }),
    );

    const ids = (events: { id: number }[]) => events.map((each) => each.id);
    expect(ids(await audit.query({ since: 2000 }))).toEqual([second.id, third.id, fourth.id]);
    expect(ids(await audit.query({ action: "model:call" }))).toEqual([
      first.id,
      third.id,
      fourth.id,
    ]);
    expect(ids(await audit.query({ actor: "gateway" }))).toEqual([first.id, third.id]);
    expect(ids(await audit.query({ afterId: second.id }))).toEqual([third.id, fourth.id]);
    expect(ids(await audit.query({ action: "model:call", since: 2500, limit: 1 }))).toEqual([
      third.id,
    ]);
    expect(ids(await audit.query({ action: "nothing" }))).toEqual([]);
  });

  it("takes the newest events when asked, still oldest first, with filters", async () => {
    const { audit } = fixture.store;
    const appended = [];
    for (let index = 0; index < 6; index++) {
      appended.push(
        await audit.append(event({ at: 1000 + index, action: index % 2 ? "odd" : "even" })),
      );
    }
    const ids = (events: { id: number }[]) => events.map((each) => each.id);
    expect(ids(await audit.query({ limit: 2, newest: true }))).toEqual([
      appended[4]?.id,
      appended[5]?.id,
    ]);
    expect(ids(await audit.query({ action: "even", limit: 2, newest: true }))).toEqual([
      appended[2]?.id,
      appended[4]?.id,
    ]);
  });

  it("iterates past page boundaries without loading everything, honouring filters and limit", async () => {
    const { store } = fixture;
    const total = 1203; // more than two pages of 500
    await store.db
      .insertInto("audit_events")
      .values(
        Array.from({ length: total }, (_, index) => ({
          created_at: index,
          actor: index % 3 === 0 ? "gateway" : "worker:1",
          action: "model:call",
          resource: `model:${index}`,
          outcome: "success",
          data: "{}",
        })),
      )
      .execute();
    const seen: number[] = [];
    for await (const each of store.audit.iterate()) seen.push(each.at);
    expect(seen).toEqual(Array.from({ length: total }, (_, index) => index));

    let gateway = 0;
    for await (const each of store.audit.iterate({ actor: "gateway" })) {
      expect(each.actor).toBe("gateway");
      gateway++;
    }
    expect(gateway).toBe(Math.ceil(total / 3));

    const limited: number[] = [];
    for await (const each of store.audit.iterate({ since: 100, limit: 600 })) limited.push(each.at);
    expect(limited).toEqual(Array.from({ length: 600 }, (_, index) => 100 + index));
  });

  it("records an event atomically with the change it describes", async () => {
    const { store } = fixture;
    await store
      .transaction(async (trx) => {
        await createAuditLog(trx).append(event({ action: "budget:reset" }));
        throw new Error("abort");
      })
      .catch(() => {});
    expect(await store.audit.query()).toEqual([]);
  });

  it("refuses UPDATE and DELETE in the database itself", async () => {
    const { store } = fixture;
    await store.audit.append(event());
    for (const statement of [
      sql`update audit_events set outcome = 'failure'`,
      sql`delete from audit_events`,
      ...(store.dialect === "postgres" ? [sql`truncate audit_events`] : []),
    ]) {
      const error = await statement.execute(store.db).catch((thrown: unknown) => thrown);
      expect(StoreError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: "store.constraint" });
      expect((error as Error).message).toContain("append-only");
    }
    expect(await store.audit.query()).toMatchObject([{ outcome: "success" }]);
  });
});
