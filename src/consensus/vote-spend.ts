import type { Gateway, ModelRequest } from "../models/index.js";
import { modelDb } from "../models/index.js";
import type { Store } from "../store/index.js";

/** Whether the next round fits under the vote's cap, and if not, the figures that say why. */
export type SpendCheck = { fits: true } | { fits: false; reason: string };

/**
 * The money one vote spends, read from the ledger rows that carry its task id (`vote:<id>`),
 * so failed attempts and repair turns count too. Without a store there is no ledger; then it
 * is the sum of the answers' costs.
 *
 * The cap (`budgetUsd`) is checked before each round: committed cost + the gateway's worst
 * case of every call of the round must stay within it. That makes it hard for priced models
 * (the worst case bounds what a call can cost, repair turn and whole chain included) and
 * leaves unpriced models uncapped; it never stops a round half-way.
 */
export class VoteSpend {
  private answeredUsd = 0;
  private readonly gateway: Gateway;
  private readonly store: Store | undefined;
  private readonly taskId: string;
  private readonly capUsd: number | undefined;

  constructor(
    gateway: Gateway,
    store: Store | undefined,
    taskId: string,
    capUsd: number | undefined,
  ) {
    this.gateway = gateway;
    this.store = store;
    this.taskId = taskId;
    this.capUsd = capUsd;
  }

  addAnswer(costUsd: number): void {
    this.answeredUsd += costUsd;
  }

  async committedUsd(): Promise<number> {
    if (!this.store) return this.answeredUsd;
    await this.gateway.flush();
    const row = await modelDb(this.store)
      .selectFrom("model_calls")
      .select((builder) => builder.fn.sum<number | string | null>("cost_usd").as("total"))
      .where("task_id", "=", this.taskId)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  async check(calls: readonly ModelRequest[]): Promise<SpendCheck> {
    if (this.capUsd === undefined) return { fits: true };
    const committed = await this.committedUsd();
    let worstCase = 0;
    for (const call of calls) worstCase += this.gateway.worstCaseCostUsd(call);
    if (committed + worstCase <= this.capUsd) return { fits: true };
    return {
      fits: false,
      reason: `the vote's budget of $${this.capUsd} would be passed: $${committed.toFixed(6)} spent, the next round may cost up to $${worstCase.toFixed(6)}`,
    };
  }

  /** The vote's ledger rows, read once at its end: their ids (oldest first) and total cost. */
  async ledger(): Promise<{
    callIds: string[];
    costUsd: number;
    usage: { inputTokens: number; outputTokens: number };
  }> {
    if (!this.store) {
      return { callIds: [], costUsd: this.answeredUsd, usage: { inputTokens: 0, outputTokens: 0 } };
    }
    await this.gateway.flush();
    const rows = await modelDb(this.store)
      .selectFrom("model_calls")
      .select([
        "id",
        "cost_usd",
        "input_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "output_tokens",
        "reasoning_tokens",
      ])
      .where("task_id", "=", this.taskId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return {
      callIds: rows.map((row) => row.id),
      costUsd: rows.reduce((total, row) => total + Number(row.cost_usd), 0),
      usage: {
        inputTokens: rows.reduce(
          (total, row) =>
            total +
            Number(row.input_tokens) +
            Number(row.cache_read_tokens) +
            Number(row.cache_write_tokens),
          0,
        ),
        outputTokens: rows.reduce(
          (total, row) => total + Number(row.output_tokens) + Number(row.reasoning_tokens),
          0,
        ),
      },
    };
  }
}
