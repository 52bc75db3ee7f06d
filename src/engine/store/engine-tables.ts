import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../store/index.js";

/** One workflow run (a sub-workflow's run is a run too, with its parent's ids). */
export interface RunTable {
  /** Run id (UUID). */
  id: string;
  /** The workflow's name. */
  workflow: string;
  /** sha256 of the definition's structure: a resume refuses a changed workflow. */
  definition_hash: string;
  /** Where the definition came from: a file path, or `builder:<name>`. */
  source: string;
  /** The run's inputs, JSON. */
  inputs_json: string;
  /** queued | running | waiting | paused | succeeded | failed | cancelled */
  status: string;
  /** The loop iteration in progress (0-based). */
  iteration: number;
  /** Why the loop stopped (until, max_iterations, …), once it has. */
  stop_reason: string | null;
  /** Cap on the run's model spend, USD. */
  budget_usd: number | null;
  /** Epoch ms after which the run is aborted. */
  deadline_at: number | null;
  /** Ready steps at once. */
  concurrency: number;
  /** Model spend of committed attempts, USD. */
  cost_usd: number;
  /** Attempts committed so far: the sequence number of the last commit. */
  commit_count: number;
  /** sha256 chain head over the committed attempts, in commit order (integrity check). */
  state_hash: string;
  /** Who drives the run now (`<host>:<pid>:<random>`); null when nobody does. */
  lease_owner: string | null;
  /** Grows with every claim of the run; a commit must present the current one. */
  fencing_token: number;
  /** Epoch ms until which `lease_owner` holds the run unless its heartbeat extends it. */
  lease_expires_at: number | null;
  /** The run that started this one as a sub-workflow. */
  parent_run_id: string | null;
  /** The parent's step, `<step>@<iteration>`. */
  parent_step: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** The state when the run last stopped (ended, paused, waiting), JSON; for `show` only. */
  state_json: string | null;
  /** Why the run failed, JSON `{ message, step? }`. */
  error_json: string | null;
}

/** One attempt of one step in one iteration: inserted when claimed, updated once at commit. */
export interface StepAttemptTable {
  /** Attempt id (UUID). */
  id: string;
  run_id: string;
  step_id: string;
  iteration: number;
  /** 1-based, across resumes. */
  attempt: number;
  /** pending | running | succeeded | failed | skipped | waiting | cancelled */
  status: string;
  /** The step's output, JSON, once committed. */
  output_json: string | null;
  /** The state writes of this attempt, JSON `{ channel: value }`, once committed. */
  delta_json: string | null;
  /** JSON `{ message, kind?, retryable? }` or the skip reason. */
  error_json: string | null;
  started_at: number;
  finished_at: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** The model that answered (prompt steps), or the models (fanout), comma-separated. */
  model: string | null;
  /** Who claimed the attempt. */
  lease_owner: string | null;
  /** The run's fencing token when the attempt was claimed. */
  fencing_token: number;
  /** Position in the run's commit order, once committed. */
  commit_seq: number | null;
  /** sha256(previous chain hash + this attempt's committed content). */
  chain_hash: string | null;
}

/** The score of each ended loop iteration. */
export interface RunIterationTable {
  run_id: string;
  iteration: number;
  score: number | null;
  finished_at: number;
}

/** A request for a person's decision. */
export interface ApprovalTable {
  id: string;
  run_id: string;
  step_id: string;
  iteration: number;
  title: string;
  prompt: string;
  /** What to review, JSON. */
  data_json: string | null;
  /** pending | approved | rejected */
  status: string;
  decided_by: string | null;
  /** The approver's comment or the rejection's reason. */
  comment: string | null;
  created_at: number;
  decided_at: number | null;
  /** Epoch ms at which a pending approval is rejected on its own. */
  timeout_at: number | null;
}

// A type alias, not an interface: Kysely's withTables wants an index-signature-compatible record.
export type EngineTables = {
  runs: RunTable;
  step_attempts: StepAttemptTable;
  run_iterations: RunIterationTable;
  approvals: ApprovalTable;
};

export type EngineDatabase = Database & EngineTables;
export type EngineDb = Kysely<EngineDatabase>;
export type EngineTransaction = Transaction<EngineDatabase>;
