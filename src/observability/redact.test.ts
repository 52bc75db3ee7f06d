import { describe, expect, it } from "vitest";
import { isSecretKey, REDACTED, redactSecrets } from "./redact.js";
import { opaqueSecret, providerKeySamples } from "./secret-samples.js";

const KEYS = providerKeySamples();

describe("redactSecrets", () => {
  it("removes the API key of every common provider, wherever it stands", () => {
    expect(KEYS.google).toHaveLength(39);
    expect(KEYS.xai).toHaveLength(84);
    for (const [provider, key] of Object.entries(KEYS)) {
      for (const text of [
        key,
        `key=${key}`,
        `using ${key}.`,
        `"${key}"`,
        `(${key})`,
        `\n${key}\n`,
      ]) {
        const redacted = redactSecrets(text);
        expect(redacted, provider).not.toContain(key.slice(-12));
        expect(redacted, provider).toContain(REDACTED);
      }
    }
  });

  it("finds the distinctive key shapes even glued to a word", () => {
    for (const key of [KEYS.google, KEYS.githubPersonal, KEYS.githubFineGrained, KEYS.jwt]) {
      expect(redactSecrets(`prefix${key}`)).toBe("prefix***");
    }
  });

  it("leaves the words around a key intact", () => {
    expect(redactSecrets(`request failed for key ${KEYS.openaiProject} (401)`)).toBe(
      "request failed for key *** (401)",
    );
  });

  it("removes bearer and basic credentials from free text", () => {
    expect(redactSecrets("Authorization: Bearer abc.DEF-123_xyz")).toBe(
      "Authorization: Bearer ***",
    );
    expect(redactSecrets("authorization=bearer opaquetokenvalue")).toBe("authorization=bearer ***");
    expect(redactSecrets("Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==")).toBe(
      "Proxy-Authorization: Basic ***",
    );
    expect(redactSecrets("Authorization: opaquetokenvalue")).toBe("Authorization: ***");
    expect(redactSecrets(`curl -H "Authorization: Bearer ${opaqueSecret(1)}" https://x`)).toBe(
      'curl -H "Authorization: Bearer ***" https://x',
    );
  });

  it("removes API key headers written in free text", () => {
    expect(redactSecrets("x-api-key: opaquevalue123")).toBe("x-api-key: ***");
    expect(redactSecrets("X-Goog-Api-Key: opaquevalue123")).toBe("X-Goog-Api-Key: ***");
    expect(redactSecrets("-H 'x-api-key: opaquevalue123'")).toBe("-H 'x-api-key: ***'");
  });

  it("hides the password of a URL and keeps the rest", () => {
    expect(redactSecrets("postgres://orkestra:s3cret@db.internal:5432/orkestra")).toBe(
      "postgres://orkestra:***@db.internal:5432/orkestra",
    );
    expect(redactSecrets("fetch https://user:pass@example.com/path failed")).toBe(
      "fetch https://user:***@example.com/path failed",
    );
    expect(redactSecrets("mongodb+srv://admin:p@ss@cluster0.example.net/db")).toBe(
      "mongodb+srv://admin:***@cluster0.example.net/db",
    );
    expect(redactSecrets("redis://:hunter2@cache:6379")).toBe("redis://:***@cache:6379");
  });

  it("hides secret query parameters, including Gemini's ?key=", () => {
    expect(
      redactSecrets(
        "https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=opaque123&alt=sse",
      ),
    ).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=***&alt=sse",
    );
    expect(redactSecrets("https://x.test/a?user=bob&password=hunter2#top")).toBe(
      "https://x.test/a?user=bob&password=***#top",
    );
    expect(redactSecrets("https://x.test/a?api_key=abc123&access_token=def456&sig=ghi")).toBe(
      "https://x.test/a?api_key=***&access_token=***&sig=***",
    );
  });

  it("hides values assigned to secret names, with any prefix or quoting", () => {
    expect(redactSecrets("OPENAI_API_KEY=opaque-value-1")).toBe("OPENAI_API_KEY=***");
    expect(redactSecrets("password: hunter2")).toBe("password: ***");
    expect(redactSecrets("dbPassword=hunter2 host=db")).toBe("dbPassword=*** host=db");
    expect(redactSecrets('{"api_key": "opaque-value-2", "model": "gpt"}')).toBe(
      '{"api_key": "***", "model": "gpt"}',
    );
    expect(redactSecrets('{\\"client_secret\\":\\"opaque-value-3\\"}')).toBe(
      '{\\"client_secret\\":\\"***\\"}',
    );
    expect(redactSecrets("GITHUB_TOKEN=opaque-value-4")).toBe("GITHUB_TOKEN=***");
  });

  it("is idempotent", () => {
    const text = `Authorization: Bearer ${KEYS.jwt} postgres://u:p@h/d?password=x`;
    const once = redactSecrets(text);
    expect(redactSecrets(once)).toBe(once);
  });

  describe("leaves ordinary text alone", () => {
    const ordinary = [
      "skill",
      "sk-",
      "the sk- prefix marks OpenAI keys",
      "sk-short",
      "task-1234567890abcdefghijklmnop",
      "disk-usage-above-threshold-on-worker",
      "550e8400-e29b-41d4-a716-446655440000",
      "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
      "xai-grok-3-mini-fast-latest",
      "claude-sonnet-4-5-20250929 and gpt-4o-mini and gemini-2.5-pro",
      "Basic authentication is not supported",
      "token bucket-based limiter refilled",
      "bearer of bad news",
      "max_tokens=4096 inputTokens: 120 outputTokens=80",
      "apiKeyEnv: OPENAI_API_KEY",
      "fencing_token=42",
      "token: 17",
      "https://example.com/path?page=2&model=gpt&monkey=1",
      "mail alice@example.com or clone git@github.com:org/repo.git",
      "http://localhost:8080/v1/chat/completions",
      "at 12:30:45 the key was rotated",
      "secret sauce, password policy, api key rotation",
      "AIza is Google's key prefix",
      "ghp_ and github_pat_ are GitHub's",
      "hf_hub_download(repo_id, filename)",
    ];
    for (const text of ordinary) {
      it(JSON.stringify(text), () => {
        expect(redactSecrets(text)).toBe(text);
      });
    }
  });

  it("stays linear on long inputs without secrets", () => {
    const long = `${"a.".repeat(50_000)} ${"key_".repeat(20_000)}`;
    const started = performance.now();
    redactSecrets(long);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("isSecretKey", () => {
  it.each([
    "authorization",
    "Authorization",
    "Proxy-Authorization",
    "x-api-key",
    "X-Goog-Api-Key",
    "api-key",
    "apiKey",
    "api_key",
    "apiKeys",
    "OPENAI_API_KEY",
    "password",
    "dbPassword",
    "passwd",
    "passphrase",
    "secret",
    "clientSecret",
    "client_secret",
    "token",
    "accessToken",
    "refresh_token",
    "GITHUB_TOKEN",
    "privateKey",
    "private_key",
    "secretAccessKey",
    "cookie",
    "set-cookie",
  ])("treats %s as secret", (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    "apiKeyEnv",
    "passwordEnv",
    "maxTokens",
    "tokensPerMinute",
    "inputTokens",
    "fencingToken",
    "fencing_token",
    "nextPageToken",
    "key",
    "model",
    "headers",
    "authorizedBy",
  ])("treats %s as ordinary", (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});
