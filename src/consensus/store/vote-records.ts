import type { Store } from "../../store/index.js";
import type { VoteResult } from "../vote-result.js";
import type { VoteDb, VoteTable, VoteTables } from "./vote-tables.js";

function voteDb(store: Store): VoteDb {
  return store.db.withTables<VoteTables>();
}

/** Stores a finished vote and every ballot of every round, in one transaction. */
export async function saveVote(
  store: Store,
  result: VoteResult,
  createdAt: number,
  ids: { runId?: string; stepId?: string },
): Promise<void> {
  await store.transaction(async (transaction) => {
    const trx = transaction.withTables<VoteTables>();
    await trx
      .insertInto("votes")
      .values({
        id: result.voteId,
        question: result.question,
        method: result.method,
        status: result.status,
        winner: result.winner,
        options_json: JSON.stringify(result.options),
        members_json: JSON.stringify(result.members),
        result_json: JSON.stringify(result),
        call_ids_json: JSON.stringify(result.callIds),
        cost_usd: result.costUsd,
        duration_ms: result.durationMs,
        run_id: ids.runId ?? null,
        step_id: ids.stepId ?? null,
        created_at: createdAt,
      })
      .execute();
    if (result.ballots.length === 0) return;
    await trx
      .insertInto("vote_ballots")
      .values(
        result.ballots.map((ballot) => ({
          vote_id: result.voteId,
          round: ballot.round,
          member: ballot.member,
          model: ballot.model,
          valid: ballot.valid ? 1 : 0,
          reason: ballot.reason ?? null,
          ballot_json: JSON.stringify(ballot),
        })),
      )
      .execute();
  });
}

/** A stored vote for lists: the row without its documents. */
export type VoteSummary = Omit<VoteTable, "result_json" | "members_json" | "call_ids_json">;

export async function listVotes(store: Store, limit = 50): Promise<VoteSummary[]> {
  const rows = await voteDb(store)
    .selectFrom("votes")
    .select([
      "id",
      "question",
      "method",
      "status",
      "winner",
      "options_json",
      "cost_usd",
      "duration_ms",
      "run_id",
      "step_id",
      "created_at",
    ])
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...row,
    cost_usd: Number(row.cost_usd),
    duration_ms: Number(row.duration_ms),
    created_at: Number(row.created_at),
  }));
}

/** A stored vote's result document, or undefined. */
export async function findVote(store: Store, voteId: string): Promise<VoteResult | undefined> {
  const row = await voteDb(store)
    .selectFrom("votes")
    .select("result_json")
    .where("id", "=", voteId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.result_json) as VoteResult) : undefined;
}

/** The stored ballots of a vote, in round and member order (as the table holds them). */
export async function voteBallotRows(store: Store, voteId: string) {
  return voteDb(store)
    .selectFrom("vote_ballots")
    .selectAll()
    .where("vote_id", "=", voteId)
    .orderBy("round")
    .orderBy("member")
    .execute();
}
