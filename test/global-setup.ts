import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * CLI tests spawn bin/orkestra.js, which runs dist/: build it once per test run. Type errors
 * don't stop the build (tsc still emits; `npm run typecheck` is its own step of `npm test`),
 * so one unfinished file elsewhere doesn't keep every test from running.
 */
export default function setup(): void {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    throw new Error(`build produced no dist/cli/main.js:\n${build.stdout}${build.stderr}`);
  }
}
