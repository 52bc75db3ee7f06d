import { Writable } from "node:stream";

type OutputStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Where the CLI reads and writes. `main` uses the process; tests capture into strings. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

let brokenPipeHandled = false;

/**
 * `orkestra … | head` closes the pipe early; writing on is pointless, and Node would report it
 * as an unhandled 'error' event with a stack trace. Exit quietly, as Unix tools do.
 */
function exitQuietlyOnBrokenPipe(): void {
  if (brokenPipeHandled) return;
  brokenPipeHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

export function processIo(): CliIo {
  exitQuietlyOnBrokenPipe();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A writable that keeps everything written to it, for tests and `--json` capture. */
export class TextSink extends Writable {
  private readonly chunks: string[] = [];
  isTTY = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    done();
  }

  text(): string {
    return this.chunks.join("");
  }
}
