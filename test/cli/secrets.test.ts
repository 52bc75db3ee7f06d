// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is what orkestra.yaml says.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import {
  type FakeProviderServer,
  type RecordedRequest,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import {
  FAKE_KEY_ENV,
  fakeModel,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

let server: FakeProviderServer;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  server = await startFakeProviderServer();
});
beforeEach(() => server.reset());
afterAll(async () => {
  await server.close();
  await Promise.all(workspaces.map((made) => made.remove()));
});

async function workspace(config: string | Record<string, unknown>): Promise<Workspace> {
  const made = await makeWorkspace(config);
  workspaces.push(made);
  return made;
}

/** A proxy that quotes the request's headers back in its error body and headers. */
function echoHeaders(request: RecordedRequest) {
  return {
    kind: "error" as const,
    status: 403,
    body: { error: { message: `forbidden; you sent ${JSON.stringify(request.headers)}` } },
    headers: { "x-echo": JSON.stringify(request.headers) },
  };
}

/** Everything the store keeps of the calls: ledger rows and audit events. */
async function storeText(made: Workspace): Promise<string> {
  const store = await openOrkestraStore(`sqlite:${made.storeFile}`);
  try {
    const ledger = await modelDb(store).selectFrom("model_calls").selectAll().execute();
    const audit = await store.audit.query();
    expect(ledger.length).toBeGreaterThan(0);
    return JSON.stringify([ledger, audit]);
  } finally {
    await store.close();
  }
}

describe("a secret in a custom header, from ${PROXY_HDR}", () => {
  const secret = `proxy-${randomBytes(12).toString("hex")}`;
  /** A value of `${VAR}` too short to scrub from free text; `config show` still hides it. */
  const shortSecret = "k3y";
  const env = { PROXY_HDR: secret, SHORT_HDR: shortSecret, LOG_LEVEL: "debug" };
  let made: Workspace;

  beforeAll(async () => {
    const gpt = fakeModel(server, "openai", { retries: 0 });
    made = await workspace(`models:
  gpt:
    provider: openai
    model: ${String(gpt.model)}
    baseURL: ${String(gpt.baseURL)}
    apiKeyEnv: ${FAKE_KEY_ENV}
    retries: 0
    headers:
      X-Proxy-Auth: "\${PROXY_HDR}"
      X-Short: "\${SHORT_HDR}"
      X-Region: "\${REGION:-eu-west-1}"
`);
  });

  it("is not printed by config show, plain or --json", async () => {
    for (const args of [
      ["config", "show"],
      ["--json", "config", "show"],
    ]) {
      const run = await runInProcess(args, { cwd: made.dir, env });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("X-Proxy-Auth");
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
      expect(run.stdout).not.toContain(shortSecret);
    }
    const json = parseJson(
      await runInProcess(["--json", "config", "show"], { cwd: made.dir, env }),
    );
    // Header values are secrets whatever their source: also the default written in the file.
    expect(json).toMatchObject({
      models: {
        gpt: { headers: { "X-Proxy-Auth": "***", "X-Short": "***", "X-Region": "***" } },
      },
    });
  });

  it("stays out of stdout, logs, ask --json and the store when the server echoes it", async () => {
    server.enqueueFor("openai", echoHeaders, echoHeaders);
    const human = await runInProcess(["ask", "hi"], { cwd: made.dir, env });
    const json = await runInProcess(["--json", "ask", "hi"], { cwd: made.dir, env });

    expect(server.requestsFor("openai").map((request) => request.headers["x-proxy-auth"])).toEqual([
      secret,
      secret,
    ]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("forbidden; you sent");
    expect(human.stderr).toContain('"x-proxy-auth":"***"');
    expect(json.code).toBe(1);
    const document = parseJson(json);
    expect(JSON.stringify(document)).toContain("forbidden; you sent");
    const everything = [
      human.stdout,
      human.stderr,
      json.stdout,
      json.stderr,
      await storeText(made),
    ].join("\n");
    expect(everything).not.toContain(secret);
  });

  it("is not shown in a configuration error about the value", async () => {
    const broken = await workspace(`models:
  gpt:
    provider: openai
    model: gpt-5
    timeoutMs: "\${PROXY_HDR}"
`);
    for (const args of [["validate-config"], ["--json", "validate-config"], ["config", "show"]]) {
      const run = await runInProcess(args, { cwd: broken.dir, env });
      expect(run.code).toBe(2);
      expect(`${run.stdout}${run.stderr}`).toContain("${PROXY_HDR}");
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    }
  });
});
