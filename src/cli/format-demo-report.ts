import { DEMO_ASPECTS, type DemoReport } from "./demo-report.js";
import { formatUsd } from "./format-usd.js";

const FINDING_WIDTH = 100;

/** A finding on one line: first paragraph, whitespace folded, cut at a word. */
function oneLine(text: string | null): string {
  if (text === null) return "(no review: the step did not succeed)";
  const folded = text.replace(/\s+/g, " ").trim();
  if (folded.length <= FINDING_WIDTH) return folded;
  const cut = folded.slice(0, FINDING_WIDTH - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > FINDING_WIDTH / 2 ? cut.slice(0, space) : cut}…`;
}

/** The demo's closing report for people: what each reader found, the scores, why it stopped. */
export function formatDemoReport(report: DemoReport): string {
  const label = report.simulated
    ? `${report.model} (SIMULATED: no provider was called; set ANTHROPIC_API_KEY, OPENAI_API_KEY, … or configure models in orkestra.yaml for real reviews)`
    : report.model;
  const width = Math.max(...DEMO_ASPECTS.map(([, name]) => name.length));
  const lines = [
    "",
    `Manuscript review of ${report.manuscript}`,
    `model: ${label}`,
    "",
    "Findings (last iteration)",
    ...DEMO_ASPECTS.map(
      ([id, name]) => `  ${name.padEnd(width)}  ${oneLine(report.findings[id] ?? null)}`,
    ),
    "",
    `Verdict: score ${report.verdict.score ?? "-"}${report.verdict.summary === null ? "" : ` · ${oneLine(report.verdict.summary)}`}`,
    "",
    "Score per iteration",
    ...report.iterations.map(
      (entry) => `  iteration ${entry.iteration}  ${entry.score === null ? "-" : entry.score}`,
    ),
    `Stopped: ${report.stoppedBecause}`,
    "",
    `Cost ${formatUsd(report.costUsd)}${report.simulated ? " (simulated)" : ""} · ${(report.durationMs / 1000).toFixed(1)} s`,
    `Run ${report.runId}: ${report.show}`,
  ];
  return lines.join("\n");
}
