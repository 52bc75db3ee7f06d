import { redactSecrets } from "../observability/redact.js";
import { countDueTasks, type DueTaskCount } from "../queue/tasks/count-tasks.js";
import type { Store } from "../store/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { agentsCheck, type HealthCheck, workersCheck } from "./health-check-checks.js";
import { agentHealth, aliveWorkers, currentWorkers } from "./status-reads.js";

/**
 * `orkestra health-check`: store, workers, agents, one line each; exit 1 when one fails. A bad
 * configuration is still exit 2 (reported like every command's); an unreachable store is a
 * failed check, not an error, so a probe always gets its three lines.
 */
export async function runHealthCheck(context: CliContext): Promise<number> {
  const { config, secrets } = await context.config();
  const now = Date.now();
  const failure = (error: unknown): string => {
    let text = redactSecrets(error instanceof Error ? error.message : String(error));
    for (const secret of secrets)
      if (secret.length >= 8) text = text.replaceAll(secret, "[REDACTED]");
    return text;
  };

  const checks: HealthCheck[] = [];
  let store: Store | undefined;
  let due: DueTaskCount[] = [];
  try {
    store = await context.store();
    due = await countDueTasks(store, now);
    checks.push({ name: "store", status: "ok", message: `${store.displayUrl} answers` });
  } catch (error) {
    checks.push({ name: "store", status: "fail", message: `unreachable: ${failure(error)}` });
    const skipped = "not checked: the store did not answer";
    checks.push({ name: "workers", status: "skip", message: skipped });
    checks.push({ name: "agents", status: "skip", message: skipped });
  }
  if (store !== undefined) {
    const reached = store;
    checks.push(
      await checked("workers", failure, async () =>
        workersCheck(aliveWorkers(await currentWorkers(reached, now)), due),
      ),
    );
    checks.push(
      await checked("agents", failure, async () =>
        agentsCheck(await agentHealth(reached, config, now)),
      ),
    );
  }

  const healthy = checks.every((check) => check.status === "ok");
  if (context.options.json) {
    context.printJson({ success: healthy, healthy, checks });
  } else {
    for (const check of checks) {
      context.print(
        `${check.status.toUpperCase().padEnd(4)}  ${check.name.padEnd(7)}  ${check.message}`,
      );
    }
  }
  return healthy ? EXIT_OK : EXIT_FAILED;
}

/** A check whose queries failed is a failed check, with the store's error as its reason. */
async function checked(
  name: HealthCheck["name"],
  failure: (error: unknown) => string,
  check: () => Promise<HealthCheck>,
): Promise<HealthCheck> {
  try {
    return await check();
  } catch (error) {
    return { name, status: "fail", message: `the store failed a query: ${failure(error)}` };
  }
}
