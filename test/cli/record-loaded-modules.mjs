// Preloaded with `--import` into a CLI process by startup-modules.test.ts: records the URL of
// every module the process loads (ESM and CommonJS, through Node's synchronous module hooks)
// and writes them, one per line, to the file named by ORKESTRA_TEST_MODULE_LOG at exit; and
// the compile cache directory in effect at exit (empty: none) to ORKESTRA_TEST_COMPILE_CACHE_LOG.
import { writeFileSync } from "node:fs";
import { getCompileCacheDir, registerHooks } from "node:module";

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on("exit", () => {
  const file = process.env.ORKESTRA_TEST_MODULE_LOG;
  if (file) writeFileSync(file, [...loaded].join("\n"));
  const cacheFile = process.env.ORKESTRA_TEST_COMPILE_CACHE_LOG;
  if (cacheFile) writeFileSync(cacheFile, getCompileCacheDir() ?? "");
});
