export { REDACTED, redactText as redactSecrets } from "./secret-patterns.js";

/**
 * Field names whose values are secrets whatever they look like, matched at the end of the name
 * in any case and spelling: `apiKey`, `x-api-key`, `OPENAI_API_KEY`, `dbPassword`,
 * `clientSecret`, `accessToken`, `Proxy-Authorization`, `set-cookie`. `apiKeyEnv` (the name of
 * a variable, not its value) and `maxTokens` do not match.
 */
const SECRET_KEY =
  /(?:api[-_]?keys?|passw(?:or)?d|passphrase|secret|token|authorization|cookie|(?:private|secret|access)[-_]?key)$/i;

/** Names ending in "token" that hold no credential: lease fencing tokens and paging cursors. */
const NOT_SECRET_KEY =
  /^(?:fencing|page|next[-_]?page|next|continuation|cancel(?:lation)?)[-_]?token$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}
