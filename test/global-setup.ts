import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
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
 * CLI tests spawn bin/orkestra.js, which runs dist/bundle/: build it once per test run, as
 * `npm run build` does (tsc, then scripts/bundle.mjs). Type errors don't stop the build (tsc
 * still emits; `npm run typecheck` is its own step of `npm test`), so one unfinished file
 * elsewhere doesn't keep every test from running. The build goes to a fresh folder that
 * replaces dist/ whole, so a concurrent run never sees a half-written dist/.
 */
export default function setup(): void {
  for (const variable of PROVIDER_KEY_VARIABLES) delete process.env[variable];
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const staging = join(root, `dist.building-${process.pid}`);
  const build = spawnSync(
    process.execPath,
    [tsc, "-p", "tsconfig.build.json", "--outDir", staging],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (!existsSync(join(staging, "cli", "main.js"))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`build produced no cli/main.js:\n${build.stdout}${build.stderr}`);
  }
  const bundle = spawnSync(process.execPath, [join(root, "scripts", "bundle.mjs"), staging], {
    cwd: root,
    encoding: "utf8",
  });
  if (bundle.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`scripts/bundle.mjs failed:\n${bundle.stdout}${bundle.stderr}`);
  }
  const dist = join(root, "dist");
  const retired = join(root, `dist.retired-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, retired);
  renameSync(staging, dist);
  rmSync(retired, { recursive: true, force: true });
}
