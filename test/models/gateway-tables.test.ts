import type { Insertable } from "kysely";
import { expect, it } from "vitest";
import type { ModelCallTable } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { describeEachStore } from "../helpers/stores.js";

const call: Insertable<ModelCallTable> = {
  id: "call-1",
  created_at: 1_790_000_000_123,
  alias: "claude",
  provider: "anthropic",
  model: "claude-sonnet-4-5",
  outcome: "success",
  error_kind: null,
  input_tokens: 1200,
  cache_read_tokens: 300,
  cache_write_tokens: 0,
  output_tokens: 450,
  reasoning_tokens: 64,
  cost_usd: 0.012345,
  latency_ms: 1834,
  attempts: 2,
  simulated: 0,
  streamed: 1,
  run_id: null,
  task_id: null,
  step_id: null,
};

describeEachStore("gateway tables", (fixture) => {
  it("stores a ledger row and reads back the same numbers and nulls", async () => {
    const db = modelDb(fixture.store);
    await db.insertInto("model_calls").values(call).execute();
    const row = await db.selectFrom("model_calls").selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual(call);
  });

  it("lets one call hold several budget lines under one reservation id, each once", async () => {
    const db = modelDb(fixture.store);
    const hold = (scope: string) => ({
      id: "hold-1",
      scope,
      period: "day:2026-11-21",
      amount_nanousd: 5_000_000,
      created_at: 1,
      expires_at: 2,
    });
    await db
      .insertInto("budget_reservations")
      .values([hold("global"), hold("model:claude")])
      .execute();
    const again = await db
      .insertInto("budget_reservations")
      .values(hold("global"))
      .execute()
      .catch((error: unknown) => error);
    expect(again).toMatchObject({ code: "store.constraint" });
    const deleted = await db
      .deleteFrom("budget_reservations")
      .where("id", "=", "hold-1")
      .executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(2);
  });
});
