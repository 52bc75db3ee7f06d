import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import {
  approve,
  type EngineTables,
  listApprovals,
  RunEmitter,
  resumeRun,
  runWorkflow,
  startResume,
  startRun,
  workflow,
} from "../../src/engine/index.js";
import { repositoryRoot, runInProcess } from "../cli/cli-harness.js";
import { describeEachStore } from "../helpers/stores.js";

/** A step that runs until its signal aborts (then records it), or ends at once on a later attempt. */
function blockingFlow(aborted: string[]) {
  return workflow("held")
    .step("long", {
      run: (context) =>
        context.attempt > 1
          ? "second"
          : new Promise((_resolve, reject) => {
              context.signal.addEventListener("abort", () => {
                aborted.push(`attempt ${context.attempt}`);
                reject(context.signal.reason);
              });
            }),
    })
    .build();
}

function startedSignal(events: RunEmitter): Promise<void> {
  return new Promise((resolve) => events.on("step:start", () => resolve()));
}

/** The pid of a process that has just exited: a lease holder known to be dead. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

describeEachStore("run leases", (fixture) => {
  const runs = () => fixture.store.db.withTables<EngineTables>().selectFrom("runs");
  const setLease = (runId: string, owner: string, expiresAt: number) =>
    fixture.store.db
      .withTables<EngineTables>()
      .updateTable("runs")
      .set({ lease_owner: owner, lease_expires_at: expiresAt })
      .where("id", "=", runId)
      .execute();

  it("a resume of a run whose lease is live fails, naming the owner and when the lease expires", async () => {
    const aborted: string[] = [];
    const definition = blockingFlow(aborted);
    const events = new RunEmitter();
    const started = startedSignal(events);
    const first = await startRun(definition, {
      store: fixture.store,
      events,
      leaseHeartbeatMs: 100,
    });
    const firstDone = first.done.catch((error: unknown) => error);
    await started;

    const before = Date.now();
    const refused = await startResume(first.runId, { store: fixture.store, definition }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({
      code: "workflow.lease_held",
      message: expect.stringContaining(`(host ${hostname()}, pid ${process.pid})`),
    });
    const expiresAt = Date.parse(
      /lease expires at (\S+) /.exec((refused as Error).message)?.[1] ?? "",
    );
    expect(expiresAt).toBeGreaterThan(before);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 10_000);
    expect(aborted).toEqual([]);

    const row = await runs()
      .select(["lease_owner", "fencing_token"])
      .where("id", "=", first.runId)
      .executeTakeFirstOrThrow();
    expect(row.lease_owner).toMatch(new RegExp(`^${hostname()}:${process.pid}:`));
    expect(Number(row.fencing_token)).toBe(1);

    // Let the test end with no driver left writing to a store it closes.
    const second = await startResume(first.runId, {
      store: fixture.store,
      definition,
      takeOver: true,
    });
    await firstDone;
    expect((await second.done).status).toBe("succeeded");
  });

  it("a take-over stops the first driver's steps at its next heartbeat; it commits nothing", async () => {
    const aborted: string[] = [];
    const definition = blockingFlow(aborted);
    const events = new RunEmitter();
    const started = startedSignal(events);
    const first = await startRun(definition, {
      store: fixture.store,
      events,
      owner: "first",
      leaseHeartbeatMs: 50,
    });
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
    const takenAt = Date.now();
    expect(await firstDone).toMatchObject({ code: "workflow.lease_lost" });
    expect(Date.now() - takenAt).toBeLessThan(1_000);
    expect(aborted).toEqual(["attempt 1"]);

    const summary = await second.done;
    expect(summary).toMatchObject({ status: "succeeded", outputs: { long: "second" } });
    const attempts = await fixture.store.db
      .withTables<EngineTables>()
      .selectFrom("step_attempts")
      .select(["attempt", "status", "lease_owner", "commit_seq", "fencing_token"])
      .orderBy("attempt")
      .execute();
    expect(attempts.map((row) => ({ ...row, fencing_token: Number(row.fencing_token) }))).toEqual([
      { attempt: 1, status: "cancelled", lease_owner: "first", commit_seq: null, fencing_token: 1 },
      { attempt: 2, status: "succeeded", lease_owner: "second", commit_seq: 1, fencing_token: 2 },
    ]);
    expect(
      await runs()
        .select(["lease_owner", "lease_expires_at", "fencing_token"])
        .executeTakeFirstOrThrow(),
    ).toMatchObject({ lease_owner: null, lease_expires_at: null });
  });

  it("a lease that expired, or whose holder on this host is gone, is taken at once; each take grows the token", async () => {
    const definition = workflow("gate")
      .approval("ok", { title: "Go?", prompt: "Go?" })
      .step("after", { needs: ["ok"], run: () => "done" })
      .build();
    const waiting = await runWorkflow(definition, { store: fixture.store, pollIntervalMs: 20 });
    expect(waiting.status).toBe("waiting");

    await setLease(waiting.runId, "elsewhere:17:0123abcd", Date.now() - 1);
    expect(
      (await resumeRun(waiting.runId, { store: fixture.store, definition, pollIntervalMs: 20 }))
        .status,
    ).toBe("waiting");

    await setLease(waiting.runId, `${hostname()}:${await deadPid()}:0123abcd`, Date.now() + 9_000);
    const [pending] = await listApprovals(fixture.store);
    await approve(fixture.store, pending?.id ?? "", { actor: "test" });
    const done = await resumeRun(waiting.runId, {
      store: fixture.store,
      definition,
      pollIntervalMs: 20,
    });
    expect(done.status).toBe("succeeded");
    const row = await runs().select("fencing_token").executeTakeFirstOrThrow();
    expect(Number(row.fencing_token)).toBe(3);
  });

  it("orkestra resume of a run another process drives exits 1 naming it; --force takes it over", async () => {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-lease-"));
    const engineUrl = pathToFileURL(join(repositoryRoot, "src", "engine", "index.ts")).href;
    await writeFile(
      join(directory, "gate.mjs"),
      `import { workflow } from ${JSON.stringify(engineUrl)};
export default workflow("gate")
  .approval("ok", { title: "Go?", prompt: "Go?" })
  .step("after", { needs: ["ok"], run: () => "done" });
`,
    );
    const cli = (args: string[]) =>
      runInProcess(args, { cwd: directory, env: { ORKESTRA_STORE: fixture.url } });
    try {
      const waiting = JSON.parse((await cli(["run", "gate.mjs", "--json"])).stdout);
      expect(waiting.status).toBe("waiting");
      const expiresAt = Date.now() + 8_000;
      await setLease(waiting.runId, "build-7:4242:0123abcd", expiresAt);

      const refused = await cli(["resume", waiting.runId]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `run ${waiting.runId} is being driven by build-7:4242:0123abcd (host build-7, pid 4242): its lease expires at ${new Date(expiresAt).toISOString()}`,
      );
      expect(refused.stderr).toContain(`orkestra resume ${waiting.runId} --force`);

      const [pending] = await listApprovals(fixture.store);
      expect((await cli(["approve", pending?.id ?? ""])).code).toBe(0);
      const forced = await cli(["resume", waiting.runId, "--force", "--json"]);
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.stdout)).toMatchObject({
        status: "succeeded",
        outputs: { after: "done" },
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
