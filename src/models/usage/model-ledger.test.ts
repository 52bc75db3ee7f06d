import { describe, expect, it } from "vitest";
import { auditEventRow } from "../../store/index.js";
import { type LedgerRow, modelCallAuditData, modelCallAuditRow } from "./model-ledger.js";

const row: LedgerRow = {
  id: "0b6f3c1e-8f0a-4c39-9d3c-2f1f6d0c9a11",
  created_at: 1_764_633_600_000,
  alias: "claude",
  provider: "anthropic",
  model: "claude-sonnet-4-5",
  outcome: "error",
  error_kind: "auth",
  input_tokens: 1_000,
  cache_read_tokens: 10,
  cache_write_tokens: 0,
  output_tokens: 200,
  reasoning_tokens: 5,
  cost_usd: 0.006,
  latency_ms: 42,
  attempts: 2,
  simulated: 0,
  streamed: 1,
  run_id: "run-1",
  task_id: null,
  step_id: "step-a",
};

/** What the store's `auditEventRow` makes of the same event: its whole-value redaction walk. */
function storeRow(entry: LedgerRow) {
  return auditEventRow({
    at: entry.created_at,
    actor: "gateway",
    action: "model:call",
    resource: `model:${entry.alias}`,
    outcome: entry.outcome === "error" ? "failure" : entry.outcome,
    data: modelCallAuditData(entry, (text) => text),
  });
}

describe("modelCallAuditRow", () => {
  it("is the row auditEventRow makes of the model:call event", () => {
    expect(modelCallAuditRow(row, "gateway")).toEqual(storeRow(row));
    const plain: LedgerRow = {
      ...row,
      outcome: "success",
      error_kind: null,
      run_id: null,
      step_id: null,
      simulated: 1,
    };
    expect(modelCallAuditRow(plain, "gateway")).toEqual(storeRow(plain));
  });

  it("redacts secrets from the strings a caller or a configuration chose", () => {
    const leaky: LedgerRow = {
      ...row,
      alias: "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
      model: "Bearer abcdefghijklmnopqrstuvwxyz0123456789",
      run_id: "https://user:hunter2@example.com/run",
      task_id: "token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      step_id: "password=hunter2",
    };
    const stored = modelCallAuditRow(leaky, "gateway");
    expect(stored).toEqual(storeRow(leaky));
    expect(stored.data).not.toMatch(/abcdefghijklmnop|hunter2/);
  });
});
