import { z } from "zod";
import { describeSchema, EXAMPLE_URL, exactListLength, oneOf } from "./describe-schema.js";
import { didYouMean } from "./did-you-mean.js";
import { formatKeyPath } from "./format-config-issue.js";
import type { IssueDraft } from "./issue-draft.js";
import { describeFound, describeList, renderValue } from "./render-value.js";
import { allowedKeys, schemaAtPath, unwrapSchema, valueAtPath } from "./schema-at-path.js";

type Schema = z.core.$ZodType;
type Path = readonly (string | number)[];

export interface IssueContext {
  /** The schema that validated `data`. */
  schema: Schema;
  /** The data as validated (after interpolation, overrides and built-ins). */
  data: unknown;
  /** Key paths whose value came from `${…}` interpolation. */
  interpolatedPaths: ReadonlySet<string>;
}

/** Turns zod issues into drafts that say what was found, what was expected and the likely fix. */
export function draftsFromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  context: IssueContext,
): IssueDraft[] {
  return issues.flatMap((issue) => draftsFromZodIssue(issue, [], context.schema, context));
}

/**
 * `basePath` and `baseSchema` let a union branch be explained with the branch's own schema:
 * the issues inside a union are relative to the union's position.
 */
function draftsFromZodIssue(
  issue: z.core.$ZodIssue,
  basePath: Path,
  baseSchema: Schema,
  context: IssueContext,
): IssueDraft[] {
  const relativePath = issue.path.map((segment) =>
    typeof segment === "number" ? segment : String(segment),
  );
  const path: Path = [...basePath, ...relativePath];
  const value = valueAtPath(context.data, path);
  const schema = schemaAtPath(baseSchema, relativePath, valueAtPath(context.data, basePath));

  switch (issue.code) {
    case "invalid_type": {
      const expected = describeSchema(schema) ?? describeExpectedType(issue.expected);
      if (value === undefined && path.length > 0) return [missingKey(path, expected, context)];
      const draft: IssueDraft = { path, found: describeFound(value), expected };
      if (typeof value === "string" && context.interpolatedPaths.has(formatKeyPath(path))) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: names the ${VAR} syntax for the user.
        draft.note = "values from ${…} are always strings";
      }
      return [draft];
    }
    case "invalid_value": {
      const options = issue.values.map(String);
      return [
        withSuggestion(
          { path, found: renderValue(value), expected: oneOf(options) },
          value,
          options,
        ),
      ];
    }
    case "invalid_union":
      return unionDrafts(issue, path, schema, value, context);
    case "too_small":
    case "too_big":
      return [
        {
          path,
          found: Array.isArray(value) ? describeList(value) : renderValue(value),
          expected: describeBound(issue, schema),
        },
      ];
    case "invalid_format":
      return [{ path, found: renderValue(value), expected: describeFormat(issue) }];
    case "not_multiple_of":
      return [{ path, found: renderValue(value), expected: `a multiple of ${issue.divisor}` }];
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey([...path, key], schema, value));
    case "invalid_key": {
      const key = String(path.at(-1));
      const inner = issue.issues[0];
      const expected =
        inner?.code === "invalid_format"
          ? describeFormat(inner)
          : (inner?.message ?? "a valid name");
      return [{ path, target: "key", summary: `invalid name ${JSON.stringify(key)}`, expected }];
    }
    case "custom":
      return [customDraft(issue, path, value)];
    default:
      return [{ path, summary: issue.message }];
  }
}

function missingKey(path: Path, expected: string, context: IssueContext): IssueDraft {
  const parentPath = path.slice(0, -1);
  const parentSchema = schemaAtPath(context.schema, parentPath, context.data);
  const provider = valueAtPath(context.data, [...parentPath, "provider"]);
  const forProvider =
    parentSchema instanceof z.ZodDiscriminatedUnion && typeof provider === "string"
      ? ` for provider ${provider}`
      : "";
  return {
    path,
    summary: `missing required key \`${String(path.at(-1))}\`${forProvider}`,
    expected,
  };
}

function unknownKey(
  path: Path,
  objectSchema: Schema | undefined,
  objectValue: unknown,
): IssueDraft {
  const key = String(path.at(-1));
  const allowed = allowedKeys(objectSchema, objectValue);
  const draft: IssueDraft = {
    path,
    target: "key",
    summary: `unknown key ${JSON.stringify(key)}`,
    found: JSON.stringify(key),
  };
  if (allowed !== undefined) {
    draft.expected = oneOf(allowed);
    const suggestion = didYouMean(key, allowed);
    if (suggestion !== undefined) draft.suggestion = suggestion;
  }
  // `latencyMs` on an anthropic model is not a typo but a key of another provider: say so.
  if (objectSchema instanceof z.ZodDiscriminatedUnion) {
    const providers = objectSchema.options.flatMap((option) => {
      if (!(option instanceof z.ZodObject) || !(key in option.shape)) return [];
      const literal = unwrapSchema(option.shape.provider ?? option);
      return literal instanceof z.ZodLiteral ? [...literal.values].map(String) : [];
    });
    if (providers.length > 0)
      draft.note = `\`${key}\` applies only to provider ${providers.join(", ")}`;
  }
  return draft;
}

function unionDrafts(
  issue: z.core.$ZodIssueInvalidUnion,
  path: Path,
  schema: Schema | undefined,
  value: unknown,
  context: IssueContext,
): IssueDraft[] {
  if (issue.discriminator !== undefined && "options" in issue) {
    // The path already ends at the discriminator (`models.claude.provider`).
    const options = (issue.options ?? []).map(String);
    if (value === undefined) {
      return [
        {
          path,
          summary: `missing required key \`${issue.discriminator}\``,
          expected: oneOf(options),
        },
      ];
    }
    return [
      withSuggestion({ path, found: renderValue(value), expected: oneOf(options) }, value, options),
    ];
  }
  // A value that has the right type for exactly one branch failed on a detail of that branch
  // (a tuple of the wrong length): the detail is the useful message, not "invalid input".
  const options = schema instanceof z.ZodUnion ? schema.options : [];
  const closer = issue.errors.flatMap((errors, index) =>
    errors.every((inner) => inner.code === "invalid_type" && inner.path.length === 0)
      ? []
      : [{ errors, option: options[index] }],
  );
  const [only] = closer;
  if (closer.length === 1 && only?.option !== undefined) {
    const branch = only.option;
    return only.errors.flatMap((inner) => draftsFromZodIssue(inner, path, branch, context));
  }
  return [
    { path, found: describeFound(value), expected: describeSchema(schema) ?? "a valid value" },
  ];
}

function customDraft(issue: z.core.$ZodIssueCustom, path: Path, value: unknown): IssueDraft {
  const known: unknown = issue.params?.known;
  // A refinement that states what it expects (`params: { expected }`): found …, expected ….
  const expected: unknown = issue.params?.expected;
  if (typeof expected === "string") return { path, found: renderValue(value), expected };
  if (!Array.isArray(known)) return { path, summary: issue.message };
  // Unknown model alias: in a fallback chain the value is the alias; in budget.per_model, the key.
  const name = typeof value === "string" ? value : String(path.at(-1));
  const aliases = known.map(String);
  const draft: IssueDraft = {
    path,
    target: typeof value === "string" ? "value" : "key",
    summary: issue.message,
    found: JSON.stringify(name),
    expected: aliases.length > 0 ? oneOf(aliases) : "an alias defined under `models`",
  };
  return withSuggestion(draft, name, aliases);
}

function withSuggestion(
  draft: IssueDraft,
  value: unknown,
  candidates: readonly string[],
): IssueDraft {
  if (typeof value !== "string") return draft;
  const suggestion = didYouMean(value, candidates);
  return suggestion === undefined ? draft : { ...draft, suggestion };
}

function describeBound(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  schema: Schema | undefined,
): string {
  const isSmall = issue.code === "too_small";
  const limit = Number(isSmall ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive ?? true;
  const unwrapped = schema === undefined ? undefined : unwrapSchema(schema);
  switch (issue.origin) {
    case "number":
    case "int": {
      const isInt = issue.origin === "int" || (unwrapped instanceof z.ZodNumber && unwrapped.isInt);
      const noun = isInt ? "a whole number" : "a number";
      if (unwrapped instanceof z.ZodNumber) {
        const { minValue, maxValue } = unwrapped;
        // Both ends inclusive and finite (retries: 0 to 10): state the whole range.
        if (
          inclusive &&
          minValue !== null &&
          maxValue !== null &&
          maxValue < Number.MAX_SAFE_INTEGER &&
          minValue > Number.MIN_SAFE_INTEGER
        ) {
          return `${noun} from ${minValue} to ${maxValue}`;
        }
      }
      if (isInt && !inclusive)
        return `${noun} ${isSmall ? ">=" : "<="} ${isSmall ? limit + 1 : limit - 1}`;
      return `${noun} ${isSmall ? ">" : "<"}${inclusive ? "=" : ""} ${limit}`;
    }
    case "string":
      if (isSmall && limit === 1) return "a non-empty string";
      return `a string of ${isSmall ? "at least" : "at most"} ${limit} characters`;
    case "array":
      if (unwrapped instanceof z.ZodTuple) return exactListLength(unwrapped._zod.def.items.length);
      if (isSmall && limit === 1) return "a non-empty list";
      return `a list of ${isSmall ? "at least" : "at most"} ${limit} items`;
    default:
      return issue.message;
  }
}

function describeFormat(issue: z.core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === "url") return `a URL such as ${EXAMPLE_URL}`;
  if (issue.format === "regex") {
    // The schema's own message ("an environment variable name such as MY_API_KEY") beats a regex.
    return issue.message.startsWith("Invalid")
      ? `a string matching ${issue.pattern}`
      : issue.message;
  }
  return `a valid ${issue.format}`;
}

function describeExpectedType(expected: string): string {
  switch (expected) {
    case "int":
      return "a whole number";
    case "object":
    case "record":
      return "a mapping";
    case "array":
    case "tuple":
      return "a list";
    case "boolean":
      return "true or false";
    default:
      return `a ${expected}`;
  }
}
