import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { findVote, listVotes } from "../../src/consensus/index.js";
import { parseWorkflowText, runWorkflow } from "../../src/engine/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { choice, scriptedCommittee } from "../support/scripted-committee.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const yaml = `
name: pick-a-name
inputs:
  product: string
state:
  name: replace
steps:
  decide:
    vote:
      question: "Which name for {{ inputs.product }}?"
      options: ["Aurora", "Beacon", "{{ inputs.product }} One"]
      members: [alpha, bravo, charlie]
      method: plurality
      seed: 7
    writes: { name: "{{ output.text }}" }
  announce:
    needs: decide
    command: ["echo", "{{ steps.decide.text }} by {{ steps.decide.object.status }}"]
`;

describeEachStore("the vote step", (fixture) => {
  it("holds the vote with templated question and options; output is the result, text the winner", async () => {
    const { gateway, requestsOf } = scriptedCommittee(
      server,
      {
        alpha: [choice("Lamp One")],
        bravo: [choice("Beacon")],
        charlie: [choice("Lamp One")],
      },
      { store: fixture.store },
    );
    const definition = parseWorkflowText(yaml, { models: ["alpha", "bravo", "charlie"] });

    const summary = await runWorkflow(definition, {
      store: fixture.store,
      gateway,
      inputs: { product: "Lamp" },
    });

    expect(summary.status).toBe("succeeded");
    expect(summary.state.name).toBe("Lamp One");
    expect(summary.outputs.announce).toMatchObject({ stdout: "Lamp One by decided\n" });
    expect(summary.outputs.decide).toMatchObject({
      status: "decided",
      winner: "Lamp One",
      seed: 7,
    });
    expect(JSON.stringify(requestsOf("alpha")[0]?.body)).toContain("Which name for Lamp?");
    const [stored] = await listVotes(fixture.store);
    expect(stored).toMatchObject({ run_id: summary.runId, step_id: "decide", winner: "Lamp One" });
    const record = await findVote(fixture.store, stored?.id ?? "");
    expect(record?.options).toEqual(["Aurora", "Beacon", "Lamp One"]);
    const calls = await modelDb(fixture.store)
      .selectFrom("model_calls")
      .select(["run_id", "step_id", "task_id"])
      .execute();
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call).toEqual({
        run_id: summary.runId,
        step_id: "decide",
        task_id: `vote:${stored?.id}`,
      });
    }
  });
});

it("reports a vote step's unknown member at its key path when the file is loaded", () => {
  expect(() =>
    parseWorkflowText(yaml.replace("[alpha, bravo, charlie]", "[alpha, bravo, charly]"), {
      models: ["alpha", "bravo", "charlie"],
    }),
  ).toThrow(
    /steps\.decide\.vote\.members\[2\]: unknown model alias "charly".*did you mean "charlie"/,
  );
});
