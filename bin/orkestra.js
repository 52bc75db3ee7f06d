#!/usr/bin/env node
// Entry shim. Kept in plain JavaScript that any Node can parse so it can tell a user on an
// old runtime what to do, or hand over to the Node 24 the project installs as a devDependency.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import module from "node:module";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MINIMUM_MAJOR = 22;
const major = Number(process.versions.node.split(".")[0]);
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** What a user or a supervisor sends to stop a command: the real CLI must get it, not just us. */
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Runs this script again on `node` and ends the way the child ends: same exit code, or killed by
 * the same signal. The child runs while this process waits (not spawnSync, which would leave
 * no event loop to forward signals from): `kill -INT <this pid>` reaches the CLI, which cancels
 * its requests, instead of killing only this process and leaving the CLI running as an orphan.
 */
function runOn(node) {
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, ORKESTRA_REEXEC: "1" },
  });
  const forward = (signal) => {
    // A Ctrl-C at a terminal reaches both processes (they share the process group), so the
    // child may see a SIGINT twice in a row; the CLI takes the second as the same interrupt.
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.once("error", (error) => {
    process.stderr.write(`orkestra: could not start ${node}: ${error.message}\n`);
    process.exit(2);
  });
  child.once("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    for (const forwarded of FORWARDED_SIGNALS) process.removeListener(forwarded, forward);
    // Die of the same signal, so a shell or supervisor sees what happened to the command.
    process.kill(process.pid, signal);
    // Still here: the signal does not end a process by default, or it is ignored. Say it the
    // way shells do.
    setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 100);
  });
}

async function runHere() {
  // Node keeps the compiled code of every module it loads from here on (the CLI's and its
  // packages') and reuses it on the next start (issue 7 measured 0.80x the wall time of
  // --version; `ask` on a simulated model took 0.41 s of CPU with it, 0.45-0.52 s without, 7
  // starts each on 2 loaded cores). The default directory (NODE_COMPILE_CACHE, else
  // <tmpdir>/node-compile-cache) is writable however orkestra was installed, where
  // node_modules/.cache of a global install often is not; entries are keyed by Node version and
  // file content, so a stale one is never used. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  // Node < 22.1 has no compile cache.
  module.enableCompileCache?.();
  const entry = join(packageRoot, "dist", "bundle", "cli.js");
  if (!existsSync(entry)) {
    process.stderr.write(
      `orkestra is not built: ${entry} is missing. Run "npm run build" in ${packageRoot}.\n`,
    );
    process.exit(2);
  }
  const { main } = await import(entry);
  process.exitCode = await main(process.argv);
}

if (major >= MINIMUM_MAJOR) {
  await runHere();
} else {
  const bundledNode = join(packageRoot, "node_modules", "node", "bin", "node");
  if (existsSync(bundledNode) && process.env.ORKESTRA_REEXEC !== "1") {
    runOn(bundledNode);
  } else {
    process.stderr.write(
      `orkestra needs Node.js >= ${MINIMUM_MAJOR}, but this is ${process.version}.\n` +
        "Run it through npm (npx orkestra, npm run ...), which uses the Node the project installs, " +
        "or install Node.js 22 or newer.\n",
    );
    process.exit(2);
  }
}
