/** Runs the CLI with `argv` (process.argv shape) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`orkestra ${argv.slice(2).join(" ")}\n`);
  return 0;
}
