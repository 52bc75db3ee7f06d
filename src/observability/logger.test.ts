import { execFile } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, type LoggerOptions } from "./logger.js";
import { modelLogger } from "./model-logger.js";
import { opaqueSecret } from "./secret-samples.js";

const run = promisify(execFile);

class MemoryDestination extends Writable {
  private readonly chunks: string[] = [];
  readonly isTTY: boolean;

  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    done();
  }

  text(): string {
    return this.chunks.join("");
  }

  records(): Record<string, unknown>[] {
    return this.text()
      .trimEnd()
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

function jsonLogger(options: LoggerOptions = {}): {
  destination: MemoryDestination;
  log: ReturnType<typeof createLogger>;
} {
  const destination = new MemoryDestination();
  return { destination, log: createLogger({ destination, pretty: false, ...options }) };
}

describe("createLogger", () => {
  let savedLevel: string | undefined;
  beforeEach(() => {
    savedLevel = process.env.LOG_LEVEL;
    delete process.env.LOG_LEVEL;
  });
  afterEach(() => {
    if (savedLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = savedLevel;
  });

  describe("level", () => {
    it("defaults to info", () => {
      const { destination, log } = jsonLogger();
      log.debug("hidden");
      log.info("shown");
      expect(destination.records().map((record) => record.msg)).toEqual(["shown"]);
    });

    it("reads LOG_LEVEL, in any case", () => {
      process.env.LOG_LEVEL = "DEBUG";
      const { destination, log } = jsonLogger();
      log.trace("hidden");
      log.debug("shown");
      expect(destination.records().map((record) => record.msg)).toEqual(["shown"]);
    });

    it("prefers the option over LOG_LEVEL", () => {
      process.env.LOG_LEVEL = "debug";
      const { destination, log } = jsonLogger({ level: "warn" });
      log.info("hidden");
      log.warn("shown");
      expect(destination.records().map((record) => record.msg)).toEqual(["shown"]);
    });

    it("falls back to info on an unknown LOG_LEVEL and says so", () => {
      process.env.LOG_LEVEL = "verbose";
      const { destination, log } = jsonLogger();
      log.debug("hidden");
      const [warning] = destination.records();
      expect(warning).toMatchObject({ level: 40 });
      expect(warning?.msg).toContain("LOG_LEVEL=verbose is not a log level; using info");
      expect(log.level).toBe("info");
    });

    it("rejects an unknown level option", () => {
      const options = { level: "loud" } as unknown as LoggerOptions;
      expect(() => createLogger(options)).toThrow(/Unknown log level "loud"/);
    });

    it("writes nothing when silent", () => {
      const { destination, log } = jsonLogger({ level: "silent" });
      log.fatal("hidden");
      expect(destination.text()).toBe("");
    });
  });

  describe("JSON lines", () => {
    it("carry level, time, pid, hostname, bindings and the message", () => {
      const { destination, log } = jsonLogger({ bindings: { service: "orkestra" } });
      log.info({ step: "plan" }, "step %s done in %dms", "plan", 12);
      expect(destination.records()[0]).toMatchObject({
        level: 30,
        pid: process.pid,
        service: "orkestra",
        step: "plan",
        msg: "step plan done in 12ms",
      });
    });

    it("keep the model alias as a field on every line of a model logger and its children", () => {
      const { destination, log } = jsonLogger();
      const model = modelLogger(log, "fast-thinker");
      model.info("calling");
      model.child({ attempt: 2 }).warn("retrying");
      expect(destination.records()).toMatchObject([
        { model: "fast-thinker", msg: "calling" },
        { model: "fast-thinker", attempt: 2, msg: "retrying" },
      ]);
    });

    it("serialise an Error given first under err, with the message as the message", () => {
      const { destination, log } = jsonLogger();
      log.error(new Error("outer", { cause: new Error("inner") }));
      const record = destination.records()[0] ?? {};
      expect(record).toMatchObject({
        msg: "outer",
        err: { type: "Error", message: "outer", cause: { type: "Error", message: "inner" } },
      });
      expect((record.err as { stack: string }).stack).toMatch(/^Error: outer\n\s+at /);
    });

    it("summarise a Node request given first, with its credentials redacted", () => {
      const secret = opaqueSecret(2);
      const request = new IncomingMessage(new Socket());
      request.method = "POST";
      request.url = `/v1/chat?key=${secret}`;
      request.headers = { authorization: `Bearer ${secret}`, host: "api.test" };
      const { destination, log } = jsonLogger();
      log.info(request, "incoming");
      expect(destination.text()).not.toContain(secret);
      expect(destination.records()[0]).toMatchObject({
        req: { method: "POST", url: "/v1/chat?key=***", headers: { authorization: "***" } },
        msg: "incoming",
      });
    });

    it("redact what a child's own serializers and formatters produce", () => {
      const secret = opaqueSecret(1);
      const { destination, log } = jsonLogger();
      const child = log.child(
        { request: "r1" },
        {
          serializers: { request: (id: string) => ({ id, apiKey: secret }) },
          formatters: { log: (object) => ({ ...object, token: secret }) },
        },
      );
      child.info({ request: "r2" }, "sent");
      expect(destination.text()).not.toContain(secret);
      expect(destination.records()[0]).toMatchObject({ request: { id: "r2", apiKey: "***" } });
    });
  });

  describe("pretty output", () => {
    it("prefixes lines of a model call with [alias]", () => {
      const destination = new MemoryDestination();
      const log = createLogger({ destination, pretty: true });
      modelLogger(log, "fast-thinker").info("calling");
      modelLogger(log, "slow-judge").warn({ attempt: 2 }, "retrying");
      log.info("no model here");
      const lines = destination.text().split("\n");
      expect(lines[0]).toMatch(/INFO: \[fast-thinker\] calling$/);
      // One line per record, its fields on that line.
      expect(lines[1]).toMatch(/WARN: \[slow-judge\] retrying \{"attempt":2\}$/);
      expect(lines[2]).toMatch(/INFO: no model here$/);
      expect(destination.text()).not.toContain("model:");
    });

    it("prints the alias alone when a model line has no message", () => {
      const destination = new MemoryDestination();
      modelLogger(createLogger({ destination, pretty: true }), "fast-thinker").info({ tokens: 3 });
      expect(destination.text()).toMatch(/INFO: \[fast-thinker\] \{"tokens":3\}\n/);
    });

    it("is the default on a terminal, with colours unless NO_COLOR is set", () => {
      const savedNoColor = process.env.NO_COLOR;
      delete process.env.NO_COLOR;
      try {
        const terminal = new MemoryDestination(true);
        createLogger({ destination: terminal }).info("hello");
        expect(terminal.text()).toContain("hello");
        expect(terminal.text()).toContain("\u001b[");

        process.env.NO_COLOR = "1";
        const plainTerminal = new MemoryDestination(true);
        createLogger({ destination: plainTerminal }).info("hello");
        expect(plainTerminal.text()).not.toContain("\u001b[");
      } finally {
        if (savedNoColor === undefined) delete process.env.NO_COLOR;
        else process.env.NO_COLOR = savedNoColor;
      }
    });

    it("is not the default on a pipe or a file", () => {
      const destination = new MemoryDestination(false);
      createLogger({ destination }).info("hello");
      expect(destination.records()[0]?.msg).toBe("hello");
    });
  });

  describe("file descriptors", () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), "orkestra-logger-"));
    });
    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it.each([false, true])("are written before the log call returns (pretty: %s)", (pretty) => {
      const path = join(directory, "log.txt");
      const fd = openSync(path, "w");
      try {
        const log = createLogger({ destination: fd, pretty });
        for (let line = 0; line < 5000; line += 1) log.info("line %d written at once", line);
        expect(readFileSync(path, "utf8").match(/line \d+ written at once/g)).toHaveLength(5000);
      } finally {
        closeSync(fd);
      }
    });

    it.each([false, true])(
      "lose no line when the process exits right after logging (pretty: %s)",
      async (pretty) => {
        const index = pathToFileURL(fileURLToPath(new URL("./index.ts", import.meta.url))).href;
        const script = join(directory, "exit-at-once.mjs");
        writeFileSync(
          script,
          [
            `import { createLogger } from ${JSON.stringify(index)};`,
            `const log = createLogger({ pretty: ${pretty} });`,
            `for (let line = 0; line < 2000; line += 1) log.info("line %d of the run", line);`,
            "process.exit(0);",
          ].join("\n"),
        );
        const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script], {
          cwd: fileURLToPath(new URL("../..", import.meta.url)),
          env: { ...process.env, LOG_LEVEL: "info" },
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(stdout).toBe("");
        expect(stderr.match(/line \d+ of the run/g)).toHaveLength(2000);
        expect(stderr).toContain("line 1999 of the run");
      },
    );
  });
});
