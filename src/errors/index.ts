export { coerceError } from "./coerce-error.js";
export { errorMarker, hasErrorMarker } from "./error-marker.js";
export { OrkestraError, type OrkestraErrorOptions } from "./orkestra-error.js";
export { UsageError, type UsageErrorOptions } from "./usage-error.js";
