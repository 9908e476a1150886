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

function parseInstant(text: string, assumeUtc: boolean): UtcInstant {
  const m = ISO.exec(text);
  if (!m || (!m[8] && !assumeUtc)) throw badArgument(`created_at: not an ISO-8601 date-time with a time zone: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = m;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return { wholeSecondsMs: local - offsetMinutes * 60_000, micros: Number(fraction.padEnd(6, '0').slice(0, 6)) };
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

/** DeerFlow's SQLite text (UTC, no offset) → ISO-8601 with `+00:00`, as its reader returns it. */
export function fromSqliteUtc(text: string): string {
  if (!ISO.test(text)) return text; // a value some other writer put there: shown as it is
  return pythonIsoUtc(parseInstant(text, true));
}

/** Milliseconds since the epoch, for sorting and durations; NaN when unparseable. */
export function instantMs(iso: string): number {
  const m = ISO.exec(iso);
  if (!m) return Number.NaN;
  const instant = parseInstant(iso, true);
  return instant.wholeSecondsMs + instant.micros / 1000;
}
