import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { createRedactor, MIN_SECRET_LENGTH } from "./redactor.js";

describe("createRedactor", () => {
  it("removes known values of no known shape, in text and at any depth of a value", () => {
    const redactor = createRedactor(["opaque-proxy-token-7f3a"]);
    expect(
      redactor.text(
        "you sent X-Proxy-Auth=opaque-proxy-token-7f3a, twice: opaque-proxy-token-7f3a",
      ),
    ).toBe("you sent X-Proxy-Auth=***, twice: ***");
    expect(redactor.value({ deep: [{ note: "auth opaque-proxy-token-7f3a ok" }] })).toEqual({
      deep: [{ note: "auth *** ok" }],
    });
  });

  it("still applies the secret patterns", () => {
    expect(createRedactor([]).text("Bearer abcdefghijklmnop")).toBe("Bearer ***");
    expect(createRedactor(["something-else-1"]).text("Bearer abcdefghijklmnop")).toBe("Bearer ***");
  });

  it(`leaves values shorter than ${MIN_SECRET_LENGTH} characters alone`, () => {
    const redactor = createRedactor(["on", "1234567"]);
    expect(redactor.text("connection on port 1234567")).toBe("connection on port 1234567");
  });

  it("removes a value that contains another whole, and its JSON-escaped and URL forms", () => {
    const redactor = createRedactor(["abcdefgh", "abcdefgh-ijklmnop", 'quo"te\\value']);
    expect(redactor.text("key abcdefgh-ijklmnop")).toBe("key ***");
    expect(redactor.text(JSON.stringify({ echoed: 'quo"te\\value' }))).toBe('{"echoed":"***"}');
    expect(redactor.text(`?h=${encodeURIComponent('quo"te\\value')}`)).toBe("?h=***");
  });
});

describe("createLogger({ secrets })", () => {
  it("writes none of the given values, in messages, fields or errors", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const secret = "house-secret-91ab";
    const logger = createLogger({ destination, pretty: false, level: "info", secrets: [secret] });
    logger.child({ tenant: secret }).info({ echoed: { header: secret } }, `server said ${secret}`);
    logger.error(new Error(`bad ${secret}`));
    expect(lines.join("")).toContain("server said ***");
    expect(lines.join("")).not.toContain(secret);
  });
});
