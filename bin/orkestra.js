#!/usr/bin/env node
// Entry shim. Kept in plain JavaScript that any Node can parse so it can tell a user on an
// old runtime what to do, or hand over to the Node 24 the project installs as a devDependency.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MINIMUM_MAJOR = 22;
const major = Number(process.versions.node.split(".")[0]);
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

if (major < MINIMUM_MAJOR) {
  const bundledNode = join(packageRoot, "node_modules", "node", "bin", "node");
  if (existsSync(bundledNode) && process.env.ORKESTRA_REEXEC !== "1") {
    const child = spawnSync(
      bundledNode,
      [fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        stdio: "inherit",
        env: { ...process.env, ORKESTRA_REEXEC: "1" },
      },
    );
    process.exit(child.status ?? 1);
  }
  process.stderr.write(
    `orkestra needs Node.js >= ${MINIMUM_MAJOR}, but this is ${process.version}.\n` +
      "Run it through npm (npx orkestra, npm run ...), which uses the Node the project installs, " +
      "or install Node.js 22 or newer.\n",
  );
  process.exit(2);
}

const entry = join(packageRoot, "dist", "cli", "main.js");
if (!existsSync(entry)) {
  process.stderr.write(
    `orkestra is not built: ${entry} is missing. Run "npm run build" in ${packageRoot}.\n`,
  );
  process.exit(2);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv);
