export { isSecretKey, REDACTED, redactSecrets, redactValue } from "./redact.js";
