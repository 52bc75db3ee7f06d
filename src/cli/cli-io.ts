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

export function processIo(): CliIo {
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
