import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leafCommands, repositoryRoot, runInProcess } from "./cli-harness.js";

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
