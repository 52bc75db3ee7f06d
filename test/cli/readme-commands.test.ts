import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { TextSink } from "../../src/cli/cli-io.js";
import { CommandRunner } from "../../src/cli/command-runner.js";
import { createProgram } from "../../src/cli/program.js";
import { repositoryRoot, runInProcess } from "./cli-harness.js";

/** README's command table and the program's --help must not drift apart. */

interface ReadmeRow {
  command: string;
  flags: string[];
}

function readmeRows(): ReadmeRow[] {
  const readme = readFileSync(join(repositoryRoot, "README.md"), "utf8");
  const rows: ReadmeRow[] = [];
  for (const line of readme.split("\n")) {
    const usage = /^\| `orkestra ([^`]+)`/.exec(line)?.[1];
    if (usage === undefined) continue;
    const command = (/^[a-z][a-z -]*[a-z]/.exec(usage)?.[0] ?? "").trim();
    const flags = [...usage.matchAll(/(?<![\w-])(--?[a-z][a-z-]*)/g)].map(
      (match) => match[1] ?? "",
    );
    rows.push({ command, flags });
  }
  return rows;
}

/** Every command that runs something: the leaves of the command tree, as `models list`. */
function leafCommands(): string[] {
  const sink = new TextSink();
  const program = createProgram(
    { stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: tmpdir() },
    new CommandRunner(),
  );
  const leaves: string[] = [];
  const walk = (command: Command, path: string[]): void => {
    const children = command.commands.filter((child) => child.name() !== "help");
    // A group with its own action (audit) is a command too.
    const runnable = path.length > 0 && (children.length === 0 || command.name() === "audit");
    if (runnable) leaves.push(path.join(" "));
    for (const child of children) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  return leaves;
}

describe("README's command table", () => {
  const rows = readmeRows();

  it("lists every command of the program", () => {
    expect(rows.map((row) => row.command).sort()).toEqual(leafCommands().sort());
  });

  it.each(rows)("names only flags that `$command --help` knows", async ({ command, flags }) => {
    const help = await runInProcess([...command.split(" "), "--help"], { cwd: tmpdir() });
    expect(help.code).toBe(0);
    for (const flag of flags)
      expect(help.stdout, flag).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, "m"));
  });
});
