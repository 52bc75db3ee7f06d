import type { StoreMigration } from "../../store/index.js";
import { modelGatewayMigration } from "./0002-model-gateway.js";

/**
 * The model gateway's migrations, oldest first. Append only; names are never changed (databases
 * record them), which is why the first keeps the number it had when the store held every table.
 */
export const MODEL_MIGRATIONS: readonly StoreMigration[] = [modelGatewayMigration];
