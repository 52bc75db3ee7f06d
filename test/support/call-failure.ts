import { ModelCallFailure } from "../../src/models/index.js";

/** The ModelCallFailure a gateway call ends in; fails the test when the call answered. */
export async function callFailure(call: Promise<unknown>): Promise<ModelCallFailure> {
  let answer: unknown;
  try {
    answer = await call;
  } catch (error) {
    if (ModelCallFailure.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected the call to fail, but it answered: ${JSON.stringify(answer)}`);
}
