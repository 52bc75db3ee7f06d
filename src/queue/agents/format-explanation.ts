import type { TaskExplanation } from "./explain-task.js";
import type { SuitabilityComponents } from "./suitability.js";

const COLUMNS: readonly { header: string; key: keyof SuitabilityComponents }[] = [
  { header: "CAPAB", key: "capability" },
  { header: "SPEC", key: "specialty" },
  { header: "SUCCESS", key: "successRate" },
  { header: "LATENCY", key: "latency" },
  { header: "COST", key: "cost" },
  { header: "LOAD", key: "load" },
  { header: "WEIGHT", key: "weight" },
];

/**
 * `orkestra task explain <id>` for people: the task, the choice (or why it waits), then one
 * row per agent, best first, with its score, components (0–1) and reasons. Pure: returns the
 * lines; the CLI prints them.
 *
 *   task t1 "Write the parser" needs code
 *   chosen: coder
 *   AGENT      SCORE  CAPAB  SPEC  SUCCESS  LATENCY  COST  LOAD  WEIGHT  REASONS
 *   coder       70.0   1.00  0.00     0.50     0.50  0.50  1.00    1.00  no recent calls: …
 *   architect      -   0.00  …                                           lacks capability code
 */
export function formatExplanation(explanation: TaskExplanation): string[] {
  const { task } = explanation;
  const needs = task.capabilities.length > 0 ? ` needs ${task.capabilities.join(", ")}` : "";
  const lines = [`task ${task.id} ${JSON.stringify(task.title)}${needs}`];
  lines.push(
    explanation.chosen === null
      ? `waiting: ${explanation.waitingBecause ?? "no agent is eligible"}`
      : `chosen: ${explanation.chosen}`,
  );
  if (explanation.agents.length === 0) return lines;
  const rows = explanation.agents.map((entry) => [
    entry.agent,
    entry.eligible ? entry.score.toFixed(1) : "-",
    ...COLUMNS.map((column) => entry.components[column.key].toFixed(2)),
    entry.reasons.join("; "),
  ]);
  const header = ["AGENT", "SCORE", ...COLUMNS.map((column) => column.header), "REASONS"];
  const table = [header, ...rows];
  const widths = header.map((_, index) =>
    Math.max(...table.map((row) => (row[index] ?? "").length)),
  );
  for (const row of table) {
    const cells = row.map((cell, index) => {
      const width = widths[index] ?? 0;
      // Names and reasons read left to right; numbers line up on the right.
      if (index === 0 || index === row.length - 1) return cell.padEnd(width);
      return cell.padStart(width);
    });
    lines.push(cells.join("  ").trimEnd());
  }
  return lines;
}
