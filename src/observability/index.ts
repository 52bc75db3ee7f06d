export { isLogLevel, LOGGER_LEVELS, type LogLevel } from "./log-level.js";
export {
  createLogger,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  parseLogFormat,
} from "./logger.js";
export { modelLogger } from "./model-logger.js";
export { isSecretKey, REDACTED, redactSecrets } from "./redact.js";
export { redactValue } from "./redact-value.js";
export { createRedactor, MIN_SECRET_LENGTH, type Redactor } from "./redactor.js";
