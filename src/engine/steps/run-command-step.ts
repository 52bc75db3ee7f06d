import { spawn } from "node:child_process";
import type { CommandStep } from "../workflow-definition.js";
import { type StepEnvironment, StepFailure, type StepOutcome } from "./step-runner.js";

/** How much of stdout/stderr a failure message carries. */
const TAIL_CHARACTERS = 2_000;
/** Output kept per stream; more is cut from the front (the tail is what explains a failure). */
const MAX_OUTPUT_CHARACTERS = 1_000_000;

function tail(text: string): string {
  return text.length > TAIL_CHARACTERS ? `…${text.slice(-TAIL_CHARACTERS)}` : text;
}

/** An argv array run without a shell; an abort (timeout, cancel) kills the child. */
export async function runCommandStep(
  step: CommandStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const argv = step.argv.map((part) => part.render(environment.scope));
  const [file, ...args] = argv;
  if (!file) {
    throw new StepFailure(`step ${step.id}: the command is empty`, {
      retryable: false,
      kind: "command",
    });
  }
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [name, value] of Object.entries(step.env ?? {}))
    env[name] = value.render(environment.scope);
  const cwd = step.cwd?.render(environment.scope);
  const { code, signal, stdout, stderr } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(file, args, {
      ...(cwd === undefined ? {} : { cwd }),
      env,
      stdio: ["ignore", "pipe", "pipe"],
      signal: environment.signal,
      killSignal: "SIGKILL",
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out = (out + chunk).slice(-MAX_OUTPUT_CHARACTERS);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err = (err + chunk).slice(-MAX_OUTPUT_CHARACTERS);
    });
    child.on("error", (error) => {
      if (environment.signal.aborted) reject(environment.signal.reason);
      else
        reject(
          new StepFailure(`step ${step.id}: cannot run ${file}: ${error.message}`, {
            retryable: false,
            kind: "command",
            cause: error,
          }),
        );
    });
    child.on("close", (exitCode, exitSignal) =>
      resolve({ code: exitCode, signal: exitSignal, stdout: out, stderr: err }),
    );
  });
  if (environment.signal.aborted) throw environment.signal.reason;
  if (code !== 0) {
    const how = code === null ? `was killed by ${signal}` : `exited with ${code}`;
    const output = [stdout && `stdout:\n${tail(stdout)}`, stderr && `stderr:\n${tail(stderr)}`]
      .filter(Boolean)
      .join("\n");
    throw new StepFailure(
      `step ${step.id}: ${argv.join(" ")} ${how}${output ? `\n${output}` : ""}`,
      {
        retryable: true,
        kind: "command",
      },
    );
  }
  return {
    output: { exitCode: code, stdout, stderr },
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    model: null,
  };
}
