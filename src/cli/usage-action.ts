// The report alone, not the gateway's index: `usage` reads the ledger and calls no model.
import { type UsageGrouping, type UsageLine, usageReport } from "../models/usage/usage-report.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatUsd } from "./format-usd.js";
import { parseDuration } from "./parse-duration.js";

export interface UsageFlags {
  since: string;
  by: UsageGrouping;
}

type Row = Omit<UsageLine, "key" | "provider"> & { key: string; provider: string };

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** `orkestra usage`. */
export async function runUsage(context: CliContext, flags: UsageFlags): Promise<number> {
  const since = Date.now() - parseDuration(flags.since, "--since");
  const store = await context.store();
  const report = await usageReport(store, since, flags.by);
  if (context.options.json) {
    context.printJson({ success: true, ...report, since: new Date(since).toISOString() });
    return EXIT_OK;
  }
  if (report.lines.length === 0) {
    context.print(`No model calls since ${new Date(since).toISOString()}.`);
    return EXIT_OK;
  }
  const rows: Row[] = [...report.lines, { key: "TOTAL", provider: "", ...report.total }];
  context.print(
    formatTable(rows, [
      { header: flags.by === "model" ? "MODEL" : "DAY (UTC)", value: (row) => row.key },
      { header: "PROVIDER", value: (row) => row.provider },
      { header: "CALLS", value: (row) => count(row.calls), align: "right" },
      { header: "FAILED", value: (row) => count(row.failures), align: "right" },
      { header: "INPUT", value: (row) => count(row.inputTokens), align: "right" },
      { header: "CACHE READ", value: (row) => count(row.cacheReadTokens), align: "right" },
      { header: "CACHE WRITE", value: (row) => count(row.cacheWriteTokens), align: "right" },
      { header: "OUTPUT", value: (row) => count(row.outputTokens), align: "right" },
      { header: "REASONING", value: (row) => count(row.reasoningTokens), align: "right" },
      { header: "COST USD", value: (row) => formatUsd(row.costUsd), align: "right" },
      { header: "", value: (row) => (row.simulated ? "(simulated)" : "") },
    ]),
  );
  context.note(`Since ${new Date(since).toISOString()}, from ${store.displayUrl}.`);
  return EXIT_OK;
}
