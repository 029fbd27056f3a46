// Cognito's TIMESTAMP: Java's "EEE MMM d HH:mm:ss z yyyy" in English, always in UTC, the day of the
// month NOT zero-padded, e.g. 'Tue Nov 3 07:05:09 UTC 2026'.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

export function formatSrpTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${time} UTC ${year}`;
}

const PATTERN = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/**
 * Parses a TIMESTAMP strictly (as a java.time parser with that pattern would: HH, mm, ss exactly
 * two digits, d one or two, English names, a weekday that matches the date), or undefined.
 */
export function parseSrpTimestamp(text: string): Date | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [day, month, dd, hh, mi, ss, yyyy] = m.slice(1).map((part, i) => (i < 2 ? part : Number(part))) as [string, string, number, number, number, number, number];
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0 || hh > 23 || mi > 59 || ss > 59) return undefined;
  const date = new Date(Date.UTC(yyyy, monthIndex, dd, hh, mi, ss));
  date.setUTCFullYear(yyyy); // Date.UTC maps years 0-99 to 1900-1999
  const sameDay = date.getUTCMonth() === monthIndex && date.getUTCDate() === dd;
  return sameDay && DAYS[date.getUTCDay()] === day ? date : undefined;
}
