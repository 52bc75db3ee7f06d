import { expect, it } from "vitest";
import {
  RunEmitter,
  resumeRun,
  runWorkflow,
  startResume,
  startRun,
  workflow,
} from "../../src/engine/index.js";
import type { EngineTables } from "../../src/engine/store/engine-tables.js";
import type { StoreQueryEvent } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import { describeEachStore } from "../helpers/stores.js";

/** Counts the bytes of the values that INSERT and UPDATE statements bind (numbers as 8 bytes). */
class WrittenBytes {
  total = 0;
  readonly onQuery = (query: StoreQueryEvent): void => {
    if (!/\b(insert|update)\b/i.test(query.sql)) return;
    for (const value of query.parameters) this.total += sizeOf(value);
  };
}

function sizeOf(value: unknown): number {
  // A batch on PostgreSQL binds a column's values as one array.
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + sizeOf(item), 0);
  if (typeof value === "string") return Buffer.byteLength(value);
  if (typeof value === "number" || typeof value === "bigint") return 8;
  return 0;
}

describeEachStore("commits", (fixture) => {
  it("the bytes written for step 500 of a long run equal those for step 5", {
    timeout: 60_000,
  }, async () => {
    let builder = workflow("long").state("log", { reducer: "append" });
    // 501 steps: the last commit also carries the run's end (its final state, once per run).
    const ids = Array.from({ length: 501 }, (_, index) => `s${String(index).padStart(3, "0")}`);
    ids.forEach((id, index) => {
      builder = builder.step(id, {
        ...(index === 0 ? {} : { needs: [ids[index - 1] as string] }),
        run: () => "x".repeat(100),
        writes: { log: () => "y".repeat(20) },
      });
    });
    const plugin = new WrittenBytes();
    const perStep = new Map<string, number>();
    let before = 0;
    const events = new RunEmitter();
    events.on("step:end", (event) => {
      perStep.set(event.stepId, plugin.total - before);
      before = plugin.total;
    });

    const store = await openOrkestraStore(fixture.url, { onQuery: plugin.onQuery });
    const summary = await runWorkflow(builder.build(), { store, events, concurrency: 1 }).finally(
      () => store.close(),
    );

    expect(summary.status).toBe("succeeded");
    expect((summary.state.log as unknown[]).length).toBe(501);
    expect(perStep.get("s005")).toBeGreaterThan(100);
    expect(perStep.get("s499")).toBe(perStep.get("s005"));
  });

  it("a stored delta changed outside Orkestra fails the resume with an integrity error", async () => {
    let broken = true;
    const definition = workflow("guarded")
      .state("log", { reducer: "append" })
      .step("first", { run: () => "ok", writes: { log: () => "first" } })
      .step("second", {
        needs: ["first"],
        onExhausted: "pause",
        run: () => {
          if (broken) throw new Error("not yet");
          return "ok";
        },
      })
      .build();
    const paused = await runWorkflow(definition, { store: fixture.store });
    expect(paused.status).toBe("paused");
    await fixture.store.db
      .withTables<EngineTables>()
      .updateTable("step_attempts")
      .set({ delta_json: JSON.stringify({ log: "forged" }) })
      .where("run_id", "=", paused.runId)
      .where("step_id", "=", "first")
      .execute();
    broken = false;

    await expect(
      resumeRun(paused.runId, { store: fixture.store, definition }),
    ).rejects.toMatchObject({
      code: "workflow.integrity",
      message: expect.stringMatching(
        /does not match its integrity hash at commit 1 \(step first, attempt 1\)/,
      ),
    });
  });

  it("a resume with a changed workflow is refused", async () => {
    const definition = workflow("v1")
      .step("a", {
        onExhausted: "pause",
        run: () => {
          throw new Error("x");
        },
      })
      .build();
    const paused = await runWorkflow(definition, { store: fixture.store });
    const changed = workflow("v1")
      .step("renamed", { run: () => 1 })
      .build();
    await expect(
      resumeRun(paused.runId, { store: fixture.store, definition: changed }),
    ).rejects.toMatchObject({
      code: "workflow.changed",
    });
  });
});

describeEachStore("fencing", (fixture) => {
  it("a process that lost its run to a take-over cannot commit over the new owner", async () => {
    let calls = 0;
    const definition = workflow("contested")
      .step("slow", {
        run: async (context) => {
          calls += 1;
          await new Promise((resolve) => setTimeout(resolve, context.attempt === 1 ? 400 : 10));
          return context.attempt;
        },
      })
      .build();
    const events = new RunEmitter();
    const started = new Promise<void>((resolve) => events.on("step:start", () => resolve()));
    const first = await startRun(definition, { store: fixture.store, events, owner: "first" });
    const firstDone = first.done.then(
      () => "finished",
      (error: unknown) => error,
    );
    await started;

    const second = await startResume(first.runId, {
      store: fixture.store,
      definition,
      owner: "second",
      takeOver: true,
    });
    const summary = await second.done;

    expect(summary).toMatchObject({ status: "succeeded", outputs: { slow: 2 } });
    expect(await firstDone).toMatchObject({ code: "workflow.lease_lost" });
    expect(calls).toBe(2);
    const attempts = await fixture.store.db
      .withTables<EngineTables>()
      .selectFrom("step_attempts")
      .select(["attempt", "status", "lease_owner"])
      .orderBy("attempt")
      .execute();
    expect(attempts).toEqual([
      { attempt: 1, status: "cancelled", lease_owner: "first" },
      { attempt: 2, status: "succeeded", lease_owner: "second" },
    ]);
  });
});
