import { readdirSync } from "node:fs";
import { loadWorkflowFile } from "./src/engine/index.js";
const dir = "test/engine/fixtures/bad";
for (const name of readdirSync(dir).sort()) {
  try { await loadWorkflowFile(name, { models: ["sim"], cwd: dir }); console.log(`== ${name}: LOADED`); }
  catch (e: any) { console.log(`== ${name} [${e.code}]\n${e.message}`); }
}
