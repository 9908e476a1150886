// created_at in DeerFlow's forms. Python keeps microseconds, JS Date keeps
// milliseconds, so the fraction is carried as digits, never through Date.
import { badArgument } from './errors.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

interface UtcInstant {
  wholeSecondsMs: number;
  micros: number;
}

function formatUtc({ wholeSecondsMs }: UtcInstant, separator: 'T' | ' '): string {
  const d = new Date(wholeSecondsMs);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date}${separator}${time}`;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  zone: string | undefined;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number) => (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]);

/** The fields of an ISO date-time, or null when it is not one Python's `datetime.fromisoformat` accepts. */
function fieldsOf(text: string): Fields | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const zone = m[8];
  const offsetHours = zone && zone !== 'Z' ? Number(zone.slice(1, 3)) : 0;
  const offsetMinutes = zone && zone !== 'Z' ? Number(zone.replace(':', '').slice(3, 5)) : 0;
  const valid =
    year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
  return valid ? { year, month, day, hour, minute, second, fraction: m[7] ?? '', zone } : null;
}

/** True for a real calendar date-time with a time zone, as DeerFlow's `created_at` must be. */
export function isZonedIsoDateTime(text: string): boolean {
  return fieldsOf(text)?.zone !== undefined;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil): no Date, whose UTC reads years 0–99 as 1900–1999. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function instantOf(f: Fields): UtcInstant {
  let offsetMinutes = 0;
  if (f.zone && f.zone !== 'Z') {
    const digits = f.zone.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const seconds = daysFromCivil(f.year, f.month, f.day) * 86_400 + f.hour * 3600 + f.minute * 60 + f.second;
  return { wholeSecondsMs: seconds * 1000 - offsetMinutes * 60_000, micros: Number(f.fraction.padEnd(6, '0').slice(0, 6)) };
}

function parseInstant(text: string, assumeUtc: boolean): UtcInstant {
  const f = fieldsOf(text);
  if (!f || (!f.zone && !assumeUtc)) throw badArgument(`created_at: not an ISO-8601 date-time with a time zone: ${JSON.stringify(text)}`);
  return instantOf(f);
}

/** Python's `datetime.isoformat()` of an aware UTC datetime: the fraction is left out when it is zero. */
function pythonIsoUtc(instant: UtcInstant): string {
  const fraction = instant.micros === 0 ? '' : `.${pad(instant.micros, 6)}`;
  return `${formatUtc(instant, 'T')}${fraction}+00:00`;
}

/** `datetime.now(UTC).isoformat()`, as DeerFlow stamps events. */
export function nowIso(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return pythonIsoUtc({ wholeSecondsMs: Math.floor(micros / 1_000_000) * 1000, micros: micros % 1_000_000 });
}

/** An ISO date-time with offset → DeerFlow's SQLite text form, `YYYY-MM-DD HH:MM:SS.ffffff` in UTC. */
export function toSqliteUtc(iso: string): string {
  const instant = parseInstant(iso, false);
  return `${formatUtc(instant, ' ')}.${pad(instant.micros, 6)}`;
}

/** The number written by text[start, end) in ASCII digits, or -1 when any is not one. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `text[at]` is `char`. */
const hasAt = (text: string, at: number, char: string) => text.charCodeAt(at) === char.charCodeAt(0);

/**
 * fromSqliteUtc of the text DeerFlow itself writes, `YYYY-MM-DD HH:MM:SS.ffffff`, by slicing: a
 * page reads one per row, and the general path's regex and Date cost more than the rest of the
 * row's decoding. Null for any other text, a date that does not exist included: the general path
 * says what it is.
 */
function fromDeerFlowUtc(text: string): string | null {
  if (text.length !== 26 || !hasAt(text, 4, '-') || !hasAt(text, 7, '-') || !hasAt(text, 10, ' ') || !hasAt(text, 13, ':') || !hasAt(text, 16, ':') || !hasAt(text, 19, '.')) {
    return null;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const micros = digitsAt(text, 20, 26);
  const inRange = (value: number, max: number) => value >= 0 && value <= max;
  const real = year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && inRange(hour, 23) && inRange(minute, 59) && inRange(second, 59) && micros >= 0;
  if (!real) return null;
  return `${text.slice(0, 10)}T${text.slice(11, micros === 0 ? 19 : 26)}+00:00`;
}

/** DeerFlow's SQLite text (UTC, no offset) → ISO-8601 with `+00:00`, as its reader returns it. */
export function fromSqliteUtc(text: string): string {
  const fast = fromDeerFlowUtc(text);
  if (fast !== null) return fast;
  if (!fieldsOf(text)) return text; // a value some other writer put there: shown as it is
  return pythonIsoUtc(parseInstant(text, true));
}

/** Milliseconds since the epoch, for sorting and durations; NaN when unparseable. */
export function instantMs(iso: string): number {
  const f = fieldsOf(iso);
  if (!f) return Number.NaN;
  const instant = instantOf(f);
  return instant.wholeSecondsMs + instant.micros / 1000;
}
