import { UsageError } from "../errors/index.js";
import type { CliIo } from "./cli-io.js";

/** The prompt argument, or all of stdin when it is `-`. `command` names the command in messages. */
export async function readPrompt(
  argument: string | undefined,
  io: CliIo,
  command = "ask",
): Promise<string> {
  if (argument !== "-") {
    if (argument === undefined || argument.trim() === "") {
      throw new UsageError(`${command}: a prompt is required`, {
        hint: `Pass it as an argument (orkestra ${command} "...") or pipe it in with "-" (echo ... | orkestra ${command} -).`,
      });
    }
    return argument;
  }
  if (io.stdin.isTTY) {
    throw new UsageError(`${command}: "-" reads the prompt from stdin, but stdin is a terminal`, {
      hint: `Pipe the prompt in: cat prompt.txt | orkestra ${command} -`,
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") throw new UsageError(`${command}: stdin was empty; nothing to ask`);
  return text;
}

/** `a,b , c` → `["a", "b", "c"]`; empty entries are a usage error. */
export function parseList(text: string, flag: string): string[] {
  const items = text.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    throw new UsageError(`${flag}: "${text}" has an empty entry`, { hint: `Write ${flag} a,b,c` });
  }
  return items;
}
