import { describe, expect, test } from "vitest";
import { defaultReply } from "./behaviour.js";
import { BehaviourScript } from "./behaviour-script.js";

const hang = { kind: "hang" } as const;
const reset = { kind: "reset" } as const;
const error = { kind: "error", status: 500 } as const;

describe("BehaviourScript", () => {
  test("serves the normal reply when nothing is scripted", () => {
    expect(new BehaviourScript().next("openai")).toBe(defaultReply);
  });

  test("takes the provider's queue, then the shared queue, then the defaults", () => {
    const script = new BehaviourScript();
    script.enqueue(undefined, [hang]);
    script.enqueue("google", [reset]);
    script.setDefault("google", error);

    expect(script.queued()).toBe(2);
    expect(script.next("google")).toBe(reset);
    expect(script.next("google")).toBe(hang);
    expect(script.next("google")).toBe(error);
    expect(script.next("openai")).toBe(defaultReply);
  });

  test("clear() drops queues and defaults", () => {
    const script = new BehaviourScript();
    script.enqueue("xai", [hang]);
    script.setDefault(undefined, error);
    script.clear();

    expect(script.queued("xai")).toBe(0);
    expect(script.next("xai")).toBe(defaultReply);
  });

  test("an undefined default restores the normal reply", () => {
    const script = new BehaviourScript();
    script.setDefault(undefined, error);
    script.setDefault(undefined, undefined);

    expect(script.next("anthropic")).toBe(defaultReply);
  });
});
