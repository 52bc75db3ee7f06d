import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { choice, scriptAnswers } from "../support/scripted-committee.js";
import {
  fakeModel,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

let server: FakeProviderServer;
let made: Workspace;

beforeAll(async () => {
  server = await startFakeProviderServer();
  const member = (model: string) => fakeModel(server, "openai", { model, retries: 0 });
  made = await makeWorkspace({
    models: { alpha: member("alpha"), bravo: member("bravo"), charlie: member("charlie") },
  });
});
beforeEach(() => server.reset());
afterAll(async () => {
  await server.close();
  await made.remove();
});

const run = (args: string[], stdin?: string) =>
  runInProcess(args, { cwd: made.dir, ...(stdin === undefined ? {} : { stdin }) });

describe("orkestra vote", () => {
  it("prints one JSON document of the issue's shape and exits 0 when decided", async () => {
    scriptAnswers(server, {
      alpha: [choice("Go", "Fast builds.")],
      bravo: [choice("Rust", "Safety.")],
      charlie: [choice("Go", "Simple.", 0.6)],
    });

    const result = await run([
      "--json",
      "vote",
      "Which language?",
      "--options",
      "Go,Rust,Zig",
      "--models",
      "alpha,bravo,charlie",
      "--seed",
      "3",
    ]);

    expect(result.code).toBe(0);
    const document = parseJson(result);
    expect(Object.keys(document)).toEqual(
      expect.arrayContaining([
        "success",
        "voteId",
        "status",
        "winner",
        "method",
        "rounds",
        "ballots",
        "abstentions",
        "costUsd",
        "durationMs",
      ]),
    );
    expect(document).toMatchObject({
      success: true,
      status: "decided",
      winner: "Go",
      method: "plurality",
      seed: 3,
    });
    expect(document.rounds).toEqual([
      expect.objectContaining({ tallies: { Go: 2, Rust: 1, Zig: 0 }, eliminated: [] }),
    ]);
    expect(document.ballots).toEqual([
      expect.objectContaining({
        member: "Member 1",
        model: "alpha",
        choice: "Go",
        confidence: 0.8,
        rationale: "Fast builds.",
        valid: true,
        round: 1,
      }),
      expect.objectContaining({ member: "Member 2", model: "bravo", choice: "Rust" }),
      expect.objectContaining({
        member: "Member 3",
        model: "charlie",
        choice: "Go",
        confidence: 0.6,
      }),
    ]);

    const listed = parseJson(await run(["--json", "votes"]));
    expect(listed.votes).toEqual([
      expect.objectContaining({
        voteId: document.voteId,
        winner: "Go",
        createdAt: expect.stringMatching(/^\d{4}-/),
      }),
    ]);
    const shown = parseJson(await run(["--json", "votes", "show", String(document.voteId)]));
    expect(shown).toEqual({ success: true, vote: document });
  });

  it("shows the winner, the tallies per round, each ballot and the abstentions; exit 1 without a decision", async () => {
    scriptAnswers(server, {
      alpha: [choice("Go", "Fast builds.")],
      bravo: [choice("Rust", "Safety.")],
      charlie: [{ kind: "error", status: 400 }],
    });
    await writeFile(join(made.dir, "options.txt"), "Go\nRust\n\nZig\n");

    const result = await run(
      [
        "vote",
        "-",
        "--options-file",
        "options.txt",
        "--models",
        "alpha,bravo,charlie",
        "--rounds",
        "0",
      ],
      "Which language?",
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("No consensus");
    expect(result.stdout).toMatch(/1\s+vote\s+tie\s+2\s+Go 1 · Rust 1 · Zig 0/);
    expect(result.stdout).toMatch(/Member 1 \(alpha\)\s+alpha\s+Go\s+0\.80\s+Fast builds\./);
    expect(result.stdout).toContain("Abstentions:");
    expect(result.stdout).toMatch(/round 1 · Member 3 \(charlie\): no answer/);
    const human = await run(["votes"]);
    expect(human.stdout).toContain("no_consensus");
  });

  it.each([
    [["--options", "Go", "--models", "alpha,bravo"], "--options"],
    [["--options", "Go,Rust,Go", "--models", "alpha,bravo"], "--options"],
    [["--options", "Go,Rust", "--models", "alpha,nobody"], "--models"],
    [["--options", "Go,Rust", "--models", "alpha,bravo", "--weights", "charlie=2"], "--weights"],
    [["--options", "Go,Rust", "--models", "alpha,bravo", "--threshold", "0.5"], "--threshold"],
    [["--options", "Go,Rust", "--models", "alpha,bravo", "--threshold", "1.2"], "--threshold"],
    [["--options", "Go,Rust", "--models", "alpha,bravo", "--quorum", "3"], "--quorum"],
    [["--free", "--method", "borda", "--models", "alpha,bravo"], "--free"],
    [["--options", "Go,Rust", "--models", "alpha,bravo", "--method", "dice"], "--method"],
    [["--options", "Go,Rust", "--models", "alpha,bravo", "--chair", "nobody"], "--chair"],
    [["--options", "Go,Rust"], "--models"],
  ])("exits 2 for %j, naming %s, before any model is asked", async (flags, flag) => {
    const result = await run(["--json", "vote", "Which language?", ...flags]);

    expect(result.code).toBe(2);
    const document = parseJson(result);
    expect(document.success).toBe(false);
    expect(JSON.stringify(document.error)).toContain(flag);
    expect(server.requests).toHaveLength(0);
  });

  it("exits 2 for a vote id that is not in the store", async () => {
    const result = await run(["votes", "show", "no-such-vote"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no vote "no-such-vote"');
  });
});
