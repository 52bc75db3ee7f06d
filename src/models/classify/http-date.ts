const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(?<month>${MONTHS.join("|")})`;
const DAY_NAME = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY_NAME = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const TIME = "(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})";

const HTTP_DATE_FORMATS = [
  // IMF-fixdate, the one format senders may use: `Sun, 06 Nov 1994 08:49:37 GMT`.
  new RegExp(`^${DAY_NAME}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  // rfc850-date, obsolete, two-digit year: `Sunday, 06-Nov-94 08:49:37 GMT`.
  new RegExp(`^${LONG_DAY_NAME}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`),
  // asctime-date, obsolete, a one-digit day padded with a space: `Sun Nov  6 08:49:37 1994`.
  new RegExp(`^${DAY_NAME} ${MONTH} (?<day>\\d{2}| \\d) ${TIME} (?<year>\\d{4})$`),
];

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch milliseconds, or undefined for anything else. All
 * three formats are read, as the RFC requires of recipients. The grammar is followed exactly
 * (case-sensitive, GMT only) rather than handed to `Date.parse`, which reads `"abc 2"` or
 * `"1,5"` as days in 2001. The day name is not checked against the date: the RFC does not ask
 * for it, and the date is what the sender meant.
 */
export function parseHttpDate(text: string, now: number): number | undefined {
  const groups = HTTP_DATE_FORMATS.map((format) => format.exec(text)).find(Boolean)?.groups;
  if (groups === undefined) return undefined;
  const yearDigits = groups.year ?? "";
  const year =
    yearDigits.length === 2
      ? rfc850Year(Number(yearDigits), new Date(now).getUTCFullYear())
      : Number(yearDigits);
  const month = MONTHS.indexOf(groups.month ?? "");
  const [day, hour, minute, second] = [groups.day, groups.hour, groups.minute, groups.second].map(
    Number,
  ) as [number, number, number, number];
  // :60 is a leap second, which the grammar allows; it counts as the next minute's first.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const midnight = Date.UTC(year, month, day);
  // 31 Feb would carry over into March: not a date.
  if (new Date(midnight).getUTCDate() !== day) return undefined;
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * RFC 9110: a two-digit year that would be more than 50 years in the future is the most recent
 * past year with the same last two digits.
 */
function rfc850Year(twoDigits: number, currentYear: number): number {
  const year = Math.floor(currentYear / 100) * 100 + twoDigits;
  return year > currentYear + 50 ? year - 100 : year;
}
