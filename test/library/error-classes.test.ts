import { describe, expect, it, vi } from "vitest";
import * as library from "../../src/index.js";

/**
 * Every error class of the public API, checked the way a user of two copies of the package
 * (a library and an app depending on different versions) meets them: `isInstance` is true for
 * the class and its subclasses, false for every sibling, whichever copy made the error and
 * whichever copy asks.
 */

type Library = typeof library;
type ErrorClassName =
  | "OrkestraError"
  | "UsageError"
  | "ConfigError"
  | "ModelError"
  | "IncompleteStreamError"
  | "ModelCallFailure"
  | "StoreError"
  | "UnrecordedSpendError";

/** Each class and its parent, as the hierarchy is meant to be. */
const PARENT: Readonly<Record<ErrorClassName, ErrorClassName | undefined>> = {
  OrkestraError: undefined,
  UsageError: "OrkestraError",
  ConfigError: "OrkestraError",
  ModelError: "OrkestraError",
  IncompleteStreamError: "ModelError",
  ModelCallFailure: "ModelError",
  StoreError: "OrkestraError",
  UnrecordedSpendError: "StoreError",
};

const CLASS_NAMES = Object.keys(PARENT) as ErrorClassName[];

function isSameOrDescendant(candidate: ErrorClassName, ancestor: ErrorClassName): boolean {
  for (let name: ErrorClassName | undefined = candidate; name; name = PARENT[name]) {
    if (name === ancestor) return true;
  }
  return false;
}

interface ErrorClass {
  new (...args: never[]): Error;
  isInstance(value: unknown): boolean;
}

/** The classes of one copy of the package, by name. */
function classesOf(copy: Library): Record<ErrorClassName, ErrorClass> {
  return {
    OrkestraError: copy.OrkestraError,
    UsageError: copy.UsageError,
    ConfigError: copy.ConfigError,
    ModelError: copy.ModelError,
    IncompleteStreamError: copy.IncompleteStreamError,
    ModelCallFailure: copy.ModelCallFailure,
    StoreError: copy.StoreError,
    UnrecordedSpendError: copy.UnrecordedSpendError,
  };
}

/** One instance of each class, made with the given copy of the package. */
function makeErrors(copy: Library): Record<ErrorClassName, Error> {
  const modelError = new copy.ModelError("the provider said no", {
    kind: "server",
    model: "claude",
    provider: "anthropic",
    status: 500,
  });
  return {
    OrkestraError: new copy.OrkestraError("something", { code: "test.something" }),
    UsageError: new copy.UsageError("--timeout: not a duration"),
    ConfigError: new copy.ConfigError({
      code: "config.invalid",
      file: "/work/orkestra.yaml",
      issues: [{ keyPath: "models", path: ["models"], message: "is empty", source: "file" }],
    }),
    ModelError: modelError,
    IncompleteStreamError: new copy.IncompleteStreamError("the stream broke off", {
      cause: modelError,
      partialText: "Hel",
      usage: {
        inputTokens: 3,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 1,
        reasoningTokens: 0,
        totalTokens: 4,
      },
      usageEstimated: true,
      costUsd: 0,
    }),
    ModelCallFailure: new copy.ModelCallFailure({
      reason: "maxRetriesExceeded",
      attempts: [
        {
          model: "claude",
          provider: "anthropic",
          attempt: 1,
          error: modelError,
          startedAt: 0,
          durationMs: 1,
        },
      ],
    }),
    StoreError: new copy.StoreError("database is locked", { code: "store.busy" }),
    UnrecordedSpendError: new copy.UnrecordedSpendError("the answer arrived, the settle failed", {
      answer: undefined,
      model: "claude",
      costUsd: 0.01,
      cause: new copy.StoreError("database is locked", { code: "store.busy" }),
    }),
  };
}

/** A second, independent copy of the whole package: every module evaluated again. */
async function loadSecondCopy(): Promise<Library> {
  vi.resetModules();
  const copy = await import("../../src/index.js");
  expect(copy.OrkestraError).not.toBe(library.OrkestraError);
  return copy;
}

const copy = await loadSecondCopy();
const ourClasses = classesOf(library);
const theirClasses = classesOf(copy);
const ours = makeErrors(library);
const theirs = makeErrors(copy);

describe.each(CLASS_NAMES)("%s", (className) => {
  const expected = Object.fromEntries(
    CLASS_NAMES.map((other) => [other, isSameOrDescendant(other, className)]),
  );

  it("recognises itself and its subclasses, and no sibling, from this copy", () => {
    const seen = Object.fromEntries(
      CLASS_NAMES.map((other) => [other, ourClasses[className].isInstance(ours[other])]),
    );
    expect(seen).toEqual(expected);
  });

  it("recognises errors made by another copy of the package, and theirs recognise ours", () => {
    const fromTheirs = Object.fromEntries(
      CLASS_NAMES.map((other) => [other, ourClasses[className].isInstance(theirs[other])]),
    );
    const fromOurs = Object.fromEntries(
      CLASS_NAMES.map((other) => [other, theirClasses[className].isInstance(ours[other])]),
    );
    expect(fromTheirs).toEqual(expected);
    expect(fromOurs).toEqual(expected);
  });

  it("rejects plain errors and non-errors", () => {
    for (const value of [new Error("plain"), "a string", undefined, null, { name: className }]) {
      expect(ourClasses[className].isInstance(value)).toBe(false);
    }
  });

  it("names itself, and its JSON always has name, code, message and retryable", () => {
    const error = ours[className] as library.OrkestraError;
    expect(error.name).toBe(className);
    expect(error).toBeInstanceOf(ourClasses[className]);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: className,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
    });
    expect(typeof json.code).toBe("string");
  });
});
