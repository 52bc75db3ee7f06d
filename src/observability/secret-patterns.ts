/**
 * The regular expressions behind redaction, compiled once at load: redaction runs on every log
 * line. Two rule sets share them: one for raw strings (`redactSecrets`) and one for finished
 * JSON log lines, where a replacement must never cross a string boundary.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = "***";

/**
 * Token shapes of the common providers, as one alternation so a string is scanned once. Each
 * alternative matches the whole token, so no suffix survives, and uses only characters that
 * never need escaping in JSON, so it is safe on a finished log line too.
 */
const TOKEN_SHAPES = [
  // OpenAI (sk-…, sk-proj-…, sk-svcacct-…), Anthropic (sk-ant-api03-…), OpenRouter, DeepSeek.
  // Not after a letter or digit: `task-…` and `disk-…` ids never start an `sk-` token.
  "(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,}",
  // xAI keys are 80 letters and digits; the first 20 must be plain so that an alias such as
  // `xai-grok-3-mini-fast-latest` is not mistaken for one.
  "(?<![A-Za-z0-9])xai-[A-Za-z0-9]{20,}[A-Za-z0-9_-]*",
  // Google API keys: AIza + 35 characters.
  "AIza[0-9A-Za-z_-]{30,}",
  // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens.
  "gh[pousr]_[A-Za-z0-9]{20,}",
  "github_pat_[A-Za-z0-9_]{20,}",
  // Groq and Hugging Face, common behind openai-compatible endpoints.
  "(?<![A-Za-z0-9])gsk_[A-Za-z0-9]{20,}",
  "(?<![A-Za-z0-9])hf_[A-Za-z0-9]{20,}",
  // JSON Web Tokens (OAuth access tokens, service-account assertions).
  "eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*",
];

/**
 * Short lowercase prefixes may not follow a letter or digit (they occur inside words); the
 * distinctive ones (`AIza`, `ghp_`, `eyJ`) are found even glued to a word.
 */
const TOKEN = new RegExp(TOKEN_SHAPES.join("|"), "g");

/**
 * `scheme://user:password@host` keeps the user, hides the password. The password runs to the
 * last `@` of the authority, so a raw `@` inside it (`p@ss`) does not leak its tail. The scheme
 * length is bounded to keep the scan linear on long dotted words.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'<>\\]*):([^\s/?#"'<>\\]*)@/gi;

/** `?key=…`, `&api_key=…`, `&access_token=…`, `&sig=…` in a URL's query (Gemini uses `?key=`). */
const QUERY_SECRET =
  /([?&](?:[A-Za-z0-9_.-]*?(?:password|passwd|pwd|api[_-]?key|token|secret|signature)|key|sig|auth)=)[^&#\s"'<>\\]+/gi;

/** A scheme followed by a credential, anywhere in free text. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Token|Digest)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi;

/**
 * After `Basic` or `Token`, a credential has a digit, an inner capital or base64 punctuation:
 * "Basic authentication" and "token bucket-based" are words, not credentials. `Bearer` is
 * always followed by a credential.
 */
const CREDENTIAL_SIGNAL = /[0-9+/=_]|.[A-Z]/;

/**
 * Names whose value is a secret when written `name: value` or `name=value` in free text. A
 * prefix is allowed (`OPENAI_API_KEY=`, `x-goog-api-key:`, `dbPassword=`); the name must end
 * right before the separator, so `apiKeyEnv: OPENAI_API_KEY` and `max_tokens=5` stay.
 */
const ASSIGNED_NAMES =
  "password|passwd|passphrase|pwd|secret|api[_-]?key|private[_-]?key|secret[_-]?key|access[_-]?key|token";

/** Quotes around a name in a raw string (`"api_key": "…"`), also JSON-escaped ones. */
const RAW_QUOTE = String.raw`(?:\\?["'])?`;
/** Separator in a raw string. */
const RAW_SEPARATOR = `(${RAW_QUOTE}\\s*[:=]\\s*${RAW_QUOTE})`;
/**
 * Separator on a finished JSON line: only an escaped quote may stand before the colon. A bare
 * quote there is the JSON structure itself (`"secret":true`), which the structural pass already
 * handled and which a replacement would corrupt.
 */
const LINE_QUOTE = String.raw`(?:\\["']|')?`;
const LINE_SEPARATOR = `(${LINE_QUOTE}\\s*[:=]\\s*${LINE_QUOTE})`;
/** A value: stops at whitespace, quotes, backslashes and list separators. */
const VALUE = String.raw`([^\s"'\\&,;]+)`;

function assignedPattern(separator: string): RegExp {
  return new RegExp(
    `(?<![A-Za-z0-9_-])([A-Za-z0-9_-]*?(?:${ASSIGNED_NAMES}))${separator}${VALUE}`,
    "gi",
  );
}

function authorizationPattern(separator: string): RegExp {
  return new RegExp(
    `\\b((?:proxy-)?authorization)${separator}(?:(Bearer|Basic|Token|Digest)\\s+)?${VALUE}`,
    "gi",
  );
}

/**
 * What some rule needs to match: a token prefix, `://`, a secret name followed by a separator,
 * or a scheme followed by a space. Most log lines have none (`inputTokens` and `apiKeyEnv` are
 * not followed by a separator) and skip the rules entirely.
 */
function triggerPattern(quoteBeforeColon: string): RegExp {
  return new RegExp(
    "sk-|xai-|aiza|gh[pousr]_|github_pat_|gsk_|hf_|eyj|://" +
      `|(?:key|token|secret|passwd|password|passphrase|pwd|authorization|signature|sig|auth)${quoteBeforeColon}\\s*[:=]` +
      "|(?:bearer|basic|token|digest)\\s",
    "i",
  );
}

type Replacer = (match: string, ...groups: string[]) => string;

interface Rule {
  readonly pattern: RegExp;
  readonly replace: Replacer;
}

interface RuleSet {
  readonly trigger: RegExp;
  readonly rules: readonly Rule[];
}

const replaceToken: Replacer = () => REDACTED;

const replaceUrlPassword: Replacer = (_match, prefix) => `${prefix}:${REDACTED}@`;

const replaceQuerySecret: Replacer = (_match, prefix) => `${prefix}${REDACTED}`;

const replaceSchemeCredential: Replacer = (match, scheme, space, credential) =>
  scheme!.toLowerCase() === "bearer" || CREDENTIAL_SIGNAL.test(credential!)
    ? `${scheme}${space}${REDACTED}`
    : match;

const replaceAuthorization: Replacer = (_match, name, separator, scheme) =>
  `${name}${separator}${scheme ? `${scheme} ` : ""}${REDACTED}`;

/**
 * Kept: a value an earlier rule already redacted (`?password=***#top` keeps its fragment), and a
 * numeric value after a `…token` name, which is a counter or a fencing token, not a credential.
 */
const replaceAssigned: Replacer = (match, name, separator, value) =>
  value!.startsWith(REDACTED) || (/token$/i.test(name!) && /^\d+$/.test(value!))
    ? match
    : `${name}${separator}${REDACTED}`;

function ruleSet(quote: string, separator: string): RuleSet {
  return {
    trigger: triggerPattern(quote),
    rules: [
      { pattern: TOKEN, replace: replaceToken },
      { pattern: URL_PASSWORD, replace: replaceUrlPassword },
      { pattern: QUERY_SECRET, replace: replaceQuerySecret },
      { pattern: authorizationPattern(separator), replace: replaceAuthorization },
      { pattern: SCHEME_CREDENTIAL, replace: replaceSchemeCredential },
      { pattern: assignedPattern(separator), replace: replaceAssigned },
    ],
  };
}

const RAW_RULES = ruleSet(RAW_QUOTE, RAW_SEPARATOR);
const LINE_RULES = ruleSet(LINE_QUOTE, LINE_SEPARATOR);

function applyRules(text: string, { trigger, rules }: RuleSet): string {
  if (!trigger.test(text)) return text;
  let result = text;
  for (const rule of rules) result = result.replace(rule.pattern, rule.replace);
  return result;
}

/**
 * Replaces every secret-looking substring of a raw string (exported as `redactSecrets`):
 * provider API keys (OpenAI, Anthropic, xAI, Google, GitHub, Groq, Hugging Face), JWTs,
 * `Bearer …` and `Authorization: …` credentials, URL passwords, secret query parameters
 * (`?key=`, `&api_key=`, `&access_token=`) and `password=…`-style assignments. Text without any
 * trigger substring is returned as is.
 */
export function redactText(text: string): string {
  return applyRules(text, RAW_RULES);
}

/**
 * Replaces secret-looking substrings of a finished JSON log line without breaking its JSON:
 * every replacement stays inside one string value. The last line of defence for paths the
 * structural pass cannot see (a `msgPrefix`, printf pieces that only form a secret once joined).
 */
export function redactJsonLine(line: string): string {
  return applyRules(line, LINE_RULES);
}
