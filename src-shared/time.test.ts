import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromSqliteUtc, instantMs, isZonedIsoDateTime, nowIso, toSqliteUtc } from './time.ts';

describe('created_at forms', () => {
  it("stamps now as Python's datetime.now(UTC).isoformat()", () => {
    expect(nowIso()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    expect(Math.abs(instantMs(nowIso()) - Date.now())).toBeLessThan(1000);
  });

  it('converts an offset date-time to DeerFlow’s SQLite UTC text, keeping microseconds', () => {
    expect(toSqliteUtc('2026-04-04T08:49:25.123456+08:00')).toBe('2026-04-04 00:49:25.123456');
    expect(toSqliteUtc('2026-01-01T00:30:00Z')).toBe('2026-01-01 00:30:00.000000');
    expect(toSqliteUtc('2025-12-31T23:30:00.5-01:00')).toBe('2026-01-01 00:30:00.500000');
    expect(toSqliteUtc('2026-03-01T00:00:00.1234567+00:00')).toBe('2026-03-01 00:00:00.123456');
  });

  it('refuses a date-time without a time zone', () => {
    expect(() => toSqliteUtc('2026-04-04T08:49:25')).toThrow(/created_at/);
  });

  it('reads SQLite UTC text back as ISO with +00:00, leaving out a zero fraction as Python does', () => {
    expect(fromSqliteUtc('2026-04-04 00:49:25.123456')).toBe('2026-04-04T00:49:25.123456+00:00');
    expect(fromSqliteUtc('2026-04-04 00:49:25.000000')).toBe('2026-04-04T00:49:25+00:00');
    expect(fromSqliteUtc('2026-04-04 00:49:25')).toBe('2026-04-04T00:49:25+00:00');
    expect(fromSqliteUtc('not a date')).toBe('not a date');
  });

  it("reads DeerFlow's own text (its fast path) exactly as any other form of the same value, an impossible date left as it is", () => {
    const sameAsGeneral = (text: string) => {
      // The 'T' form takes the general path, which reads it as the same UTC date-time.
      const general = fromSqliteUtc(text.replace(' ', 'T'));
      expect(fromSqliteUtc(text), text).toBe(general === text.replace(' ', 'T') ? text : general);
    };
    expect(fromSqliteUtc('2024-02-29 23:59:59.999999')).toBe('2024-02-29T23:59:59.999999+00:00');
    expect(fromSqliteUtc('2026-04-04 00:49:25.000001')).toBe('2026-04-04T00:49:25.000001+00:00');
    for (const asIs of ['2025-02-29 00:00:00.000000', '1900-02-29 00:00:00.000000', '2026-04-31 00:00:00.000000', '2026-04-04 24:00:00.000000', '2026-04-04 00:60:00.000000', '2026-04-04 00:00:60.000000', '2026-13-01 00:00:00.000000', '2026-00-01 00:00:00.000000', '2026-01-00 00:00:00.000000', '0000-01-01 00:00:00.000000', '2026-04-04 00:49:25.00000a', '2026-04-04 00:49:25.１２３４５６', '2026-04-04 00:49:25,123456', '2026/04/04 00:49:25.123456', ' 2026-04-04 00:49:25.12345']) {
      expect(fromSqliteUtc(asIs), asIs).toBe(asIs);
    }
    for (const text of ['2000-02-29 12:00:00.000000', '2100-02-28 00:00:00.500000', '0001-01-01 00:00:00.000000', '9999-12-31 23:59:59.999999']) sameAsGeneral(text);
    // Each field mostly in its range (so most dates are real), else any digits.
    const field = (width: number, min: number, max: number) =>
      fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 9 }, { arbitrary: fc.integer({ min: 0, max: 10 ** width - 1 }), weight: 1 }).map((n) => String(n).padStart(width, '0'));
    const fraction = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 })).map((n) => String(n).padStart(6, '0'));
    fc.assert(
      fc.property(field(4, 1, 9999), field(2, 1, 12), field(2, 1, 31), field(2, 0, 23), field(2, 0, 59), field(2, 0, 59), fraction, (y, mo, d, h, mi, s, f) =>
        sameAsGeneral(`${y}-${mo}-${d} ${h}:${mi}:${s}.${f}`),
      ),
      { numRuns: 5000 },
    );
  });

  it('orders instants across offsets', () => {
    expect(instantMs('2026-04-04T08:00:00+08:00')).toBe(instantMs('2026-04-04T00:00:00+00:00'));
    expect(instantMs('garbage')).toBeNaN();
  });

  it('accepts only real calendar date-times with a time zone', () => {
    for (const ok of ['2024-02-29T00:00:00+00:00', '2026-12-31T23:59:59.999999-11:30', '0001-01-01T00:00:00Z', '2026-04-04 00:49:25+0800']) {
      expect(isZonedIsoDateTime(ok), ok).toBe(true);
    }
    for (const bad of ['2026-02-29T00:00:00+00:00', '2026-04-31T00:00:00Z', '2026-04-04T24:00:00Z', '2026-04-04T00:60:00Z', '2026-13-01T00:00:00Z', '0000-01-01T00:00:00Z', '2026-04-04T00:00:00+24:00', '2026-04-04T00:00:00']) {
      expect(isZonedIsoDateTime(bad), bad).toBe(false);
    }
  });

  it('keeps years below 100 (Date.UTC would read them as 19xx)', () => {
    expect(toSqliteUtc('0001-01-01T00:00:00+01:00')).toBe('0000-12-31 23:00:00.000000');
    expect(fromSqliteUtc('0050-06-01 12:00:00.000000')).toBe('0050-06-01T12:00:00+00:00');
  });

  it('reads every instant of years 1–9999, in any offset, as Date does', () => {
    const instants = fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, fc.integer({ min: -14 * 60, max: 14 * 60 }), (date, offsetMinutes) => {
        const shifted = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, -1);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const zone = `${sign}${String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`;
        expect(instantMs(`${shifted}${zone}`)).toBe(date.getTime());
      }),
      { numRuns: 2000 },
    );
  });
});
