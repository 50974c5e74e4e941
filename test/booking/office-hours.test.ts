import {
  describeHours, isOpen, nextOpening, OfficeHoursError, parseOfficeHours, zonedParts, zonedTimeToUtc, type OfficeHours,
} from '../../src/booking/office-hours';

const NY = 'America/New_York';
const H = (h: number, m = 0) => h * 60 + m;
const WEEKDAYS_9_17 = [[], [[H(9), H(17)]], [[H(9), H(17)]], [[H(9), H(17)]], [[H(9), H(17)]], [[H(9), H(17)]], []];

describe('parseOfficeHours', () => {
  it.each([
    ['Mon-Fri 09:00-17:00', WEEKDAYS_9_17],
    ['Mon–Fri 9:00–17:00', WEEKDAYS_9_17],
    ['mon — fri 9:00 — 17:00', WEEKDAYS_9_17],
    ['Lun-Vie 09:00-17:00', WEEKDAYS_9_17],
    ['lunes a viernes 9 a 17', WEEKDAYS_9_17],
    ['Monday to Friday 9am to 5pm', WEEKDAYS_9_17],
    ['Mon-Fri 9am-5pm', WEEKDAYS_9_17],
    ['Mon-Fri 9-5pm', WEEKDAYS_9_17],
    ['Mon-Fri 9 a.m.-5 p.m.', WEEKDAYS_9_17],
    ['Mon,Tue,Wed,Thu,Fri 09:00-17:00', WEEKDAYS_9_17],
  ])('%s', (text, week) => {
    expect(parseOfficeHours(text).week).toEqual(week);
  });

  it('reads split days and several groups separated by ; or ,', () => {
    const expected = [[], ...Array(5).fill([[H(9), H(13)], [H(14), H(18)]]), [[H(10), H(14)]]];
    expect(parseOfficeHours('Mon-Fri 9:00-13:00 14:00-18:00; Sat 10:00-14:00').week).toEqual(expected);
    expect(parseOfficeHours('Mon-Fri 9:00-13:00, 14:00-18:00, Sat 10am-2pm').week).toEqual(expected);
    expect(parseOfficeHours('Lun-Vie 9:00-13:00 y 14:00-18:00; Sáb 10:00-14:00').week).toEqual(expected);
  });

  it('reads day lists, Spanish accents and wrapping ranges', () => {
    const hours = parseOfficeHours('Mon,Wed,Fri 09:00-17:00');
    expect(hours.week.map((d) => d.length)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(parseOfficeHours('Miércoles 10:30-12:00').week[3]).toEqual([[H(10, 30), H(12)]]);
    expect(parseOfficeHours('Fri-Mon 10:00-12:00').week.map((d) => d.length)).toEqual([1, 1, 0, 0, 0, 1, 1]);
    expect(parseOfficeHours('Sat 12pm-12:30pm').week[6]).toEqual([[H(12), H(12, 30)]]);
  });

  it('merges touching ranges and keeps the text', () => {
    const hours = parseOfficeHours('  Mon 9:00-12:00 12:00-17:00 ');
    expect(hours.week[1]).toEqual([[H(9), H(17)]]);
    expect(hours.text).toBe('Mon 9:00-12:00 12:00-17:00');
  });

  it.each([
    ['Mon-Fry 09:00-17:00', /unknown day "fry"/],
    ['Mon-Fri 17:00-09:00', /closes before it opens/],
    ['Mon-Fri 9:00-9:00', /closes before it opens/],
    ['Mon 09:00-12:00 11:00-13:00', /overlapping hours on Monday/],
    ['Mon-Fri 9-17; Wed 10-12', /overlapping hours on Wednesday/],
    ['09:00-17:00', /has no day/],
    ['', /no days/],
    ['   ', /no days/],
    ['Mon-Fri', /Friday has no hours/],
    ['Mon-Fri 9-17 Sat', /Saturday has no hours/],
    ['Mon-Fri; Sat 10-14', /Friday has no hours/],
    ['Mon-Fri 25:00-26:00', /bad time/],
    ['Mon-Fri 9:75-17:00', /bad time/],
    ['Mon-Fri 13pm-5pm', /bad time/],
    ['Mon-Fri 9:00-17:00 (closed holidays)', /cannot read/],
  ])('rejects %j', (text, message) => {
    expect(() => parseOfficeHours(text)).toThrow(OfficeHoursError);
    expect(() => parseOfficeHours(text)).toThrow(message);
  });

  it('error messages are one short line', () => {
    try {
      parseOfficeHours('Mon-Fry 9-17');
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(OfficeHoursError);
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message.length).toBeLessThan(100);
    }
  });
});

describe('zonedParts / zonedTimeToUtc', () => {
  it('reads wall-clock parts in the zone', () => {
    expect(zonedParts(new Date('2026-12-01T15:00:00Z'), NY)).toEqual({ year: 2026, month: 12, day: 1, weekday: 2, hour: 10, minute: 0 });
    expect(zonedParts(new Date('2026-12-01T04:30:00Z'), NY)).toEqual({ year: 2026, month: 11, day: 30, weekday: 1, hour: 23, minute: 30 });
    expect(zonedParts(new Date('2026-12-01T04:30:00Z'), 'Europe/Madrid').hour).toBe(5);
  });

  it('converts local times on both sides of a change (UTC offset −4 in summer, −5 in winter)', () => {
    expect(zonedTimeToUtc(2026, 10, 30, 9, 0, NY).toISOString()).toBe('2026-10-30T13:00:00.000Z');
    expect(zonedTimeToUtc(2026, 11, 2, 9, 0, NY).toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(zonedTimeToUtc(2026, 3, 6, 9, 0, NY).toISOString()).toBe('2026-03-06T14:00:00.000Z');
    expect(zonedTimeToUtc(2026, 3, 9, 9, 0, NY).toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });

  it('moves a nonexistent time (Sunday 02:30 at spring-forward) to the first valid minute, 03:00 EDT', () => {
    const at = zonedTimeToUtc(2026, 3, 8, 2, 30, NY);
    expect(at.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(zonedParts(at, NY)).toMatchObject({ day: 8, hour: 3, minute: 0 });
    expect(zonedTimeToUtc(2026, 3, 8, 1, 59, NY).toISOString()).toBe('2026-03-08T06:59:00.000Z');
  });

  it('takes the earlier instant for an ambiguous time (01:30 at fall-back is EDT)', () => {
    expect(zonedTimeToUtc(2026, 11, 1, 1, 30, NY).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedTimeToUtc(2026, 11, 1, 2, 30, NY).toISOString()).toBe('2026-11-01T07:30:00.000Z');
  });

  it('rolls minutes over like Date.UTC and round-trips', () => {
    expect(zonedTimeToUtc(2026, 12, 1, 0, 600, NY).toISOString()).toBe('2026-12-01T15:00:00.000Z');
    const at = zonedTimeToUtc(2026, 7, 4, 23, 45, 'Asia/Kolkata');
    expect(zonedParts(at, 'Asia/Kolkata')).toMatchObject({ year: 2026, month: 7, day: 4, hour: 23, minute: 45 });
  });
});

describe('isOpen / nextOpening', () => {
  const hours = parseOfficeHours('Mon-Fri 9:00-13:00 14:00-17:00');
  const ny = (iso: string) => new Date(iso);

  it('is open inside the hours, closed at lunch, at closing time and at weekends', () => {
    expect(isOpen(hours, NY, ny('2026-12-01T14:00:00Z'))).toBe(true); // Tue 9:00 EST
    expect(isOpen(hours, NY, ny('2026-12-01T13:59:00Z'))).toBe(false); // 8:59
    expect(isOpen(hours, NY, ny('2026-12-01T18:30:00Z'))).toBe(false); // 13:30 lunch
    expect(isOpen(hours, NY, ny('2026-12-01T22:00:00Z'))).toBe(false); // 17:00
    expect(isOpen(hours, NY, ny('2026-12-05T15:00:00Z'))).toBe(false); // Saturday
  });

  it('finds the next opening', () => {
    const open = ny('2026-12-01T15:00:00Z');
    expect(nextOpening(hours, NY, open)).toBe(open);
    expect(nextOpening(hours, NY, ny('2026-12-01T18:30:00Z'))?.toISOString()).toBe('2026-12-01T19:00:00.000Z'); // after lunch
    expect(nextOpening(hours, NY, ny('2026-12-04T23:00:00Z'))?.toISOString()).toBe('2026-12-07T14:00:00.000Z'); // Fri 18:00 → Mon 9:00
    expect(nextOpening(hours, NY, ny('2026-10-30T22:00:00Z'))?.toISOString()).toBe('2026-11-02T14:00:00.000Z'); // across fall-back
  });

  it('is undefined when the office never opens', () => {
    const never: OfficeHours = { week: [[], [], [], [], [], [], []], text: '' };
    expect(nextOpening(never, NY, ny('2026-12-01T15:00:00Z'))).toBeUndefined();
  });
});

describe('describeHours', () => {
  it.each([
    ['Mon-Fri 09:00-17:00', 'Monday to Friday, 9:00 to 17:00', 'de lunes a viernes, de 9:00 a 17:00'],
    [
      'Mon-Fri 9:00-13:00 14:00-18:00; Sat 10:00-14:00',
      'Monday to Friday, 9:00 to 13:00 and 14:00 to 18:00; Saturday, 10:00 to 14:00',
      'de lunes a viernes, de 9:00 a 13:00 y de 14:00 a 18:00; sábado, de 10:00 a 14:00',
    ],
    ['Mon,Wed,Fri 9:30-17:00', 'Monday, Wednesday and Friday, 9:30 to 17:00', 'lunes, miércoles y viernes, de 9:30 a 17:00'],
    ['Sat-Sun 10-14', 'Saturday and Sunday, 10:00 to 14:00', 'sábado y domingo, de 10:00 a 14:00'],
  ])('%s', (text, en, es) => {
    const hours = parseOfficeHours(text);
    expect(describeHours(hours, 'en')).toBe(en);
    expect(describeHours(hours, 'es')).toBe(es);
  });
});
