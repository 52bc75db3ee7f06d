import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { findVote } from "../../src/consensus/index.js";
import { createOrkestra, tally } from "../../src/index.js";

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

const ballot = (choice: string) =>
  JSON.stringify({ choice, confidence: 1, rationale: `${choice} it is.` });

it("orkestra.vote holds a vote on the configured models and records it in the store", async () => {
  const cwd = await mkdtemp(join(tmpdir(), "orkestra-vote-"));
  directories.push(cwd);
  await writeFile(
    join(cwd, "orkestra.yaml"),
    JSON.stringify({
      models: {
        yes1: { provider: "simulated", latencyMs: 0, reply: ballot("Yes") },
        yes2: { provider: "simulated", latencyMs: 0, reply: ballot("Yes") },
        no1: { provider: "simulated", latencyMs: 0, reply: ballot("No") },
      },
    }),
  );
  const orkestra = await createOrkestra({ cwd, env: {} });
  try {
    const result = await orkestra.vote({
      question: "Ship it?",
      options: ["Yes", "No"],
      members: ["yes1", "yes2", "no1"],
      method: "majority",
    });

    expect(result).toMatchObject({ status: "decided", winner: "Yes", method: "majority" });
    expect(await findVote(orkestra.store, result.voteId)).toMatchObject({ winner: "Yes" });
    const [event] = await orkestra.store.audit.query({ action: "vote:decided" });
    expect(event).toMatchObject({ actor: "library", resource: `vote:${result.voteId}` });
    expect(typeof tally).toBe("function");
  } finally {
    await orkestra.close();
  }
});
