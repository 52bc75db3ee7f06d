export { coerceError } from "./coerce-error.js";
export { OrkestraError, type OrkestraErrorOptions, UsageError } from "./orkestra-error.js";
