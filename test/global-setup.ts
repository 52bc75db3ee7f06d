import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Provider keys a developer may have exported. With no models configured, Orkestra uses the
 * providers whose keys are set; no test may ever reach a real provider, so the test run (and
 * every worker and child process it starts, which inherit this environment) never sees them.
 */
const PROVIDER_KEY_VARIABLES = [
  "ANTHROPIC_API_KEY",
  "OPENAI_API_KEY",
  "GOOGLE_GENERATIVE_AI_API_KEY",
  "GEMINI_API_KEY",
  "XAI_API_KEY",
  "GITHUB_TOKEN",
];

/**
 * CLI tests spawn bin/orkestra.js, which runs dist/: build it once per test run. Type errors
 * don't stop the build (tsc still emits; `npm run typecheck` is its own step of `npm test`),
 * so one unfinished file elsewhere doesn't keep every test from running.
 */
export default function setup(): void {
  for (const variable of PROVIDER_KEY_VARIABLES) delete process.env[variable];
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    encoding: "utf8",
  });
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    throw new Error(`build produced no dist/cli/main.js:\n${build.stdout}${build.stderr}`);
  }
}
