import { parseOfficeHours, zonedParts } from '../../src/booking/office-hours';
import { allFreeSlots, availableSlots, formatSlot, type Slot, type SlotQuery } from '../../src/booking/slots';

const NY = 'America/New_York';
const WEEKDAYS = parseOfficeHours('Mon-Fri 09:00-17:00');

/** A query with the product defaults: 40-minute slots, no lead time, nothing busy. */
function query(now: string, extra: Partial<SlotQuery> = {}): SlotQuery {
  return { hours: WEEKDAYS, tz: NY, minutes: 40, leadHours: 0, now: new Date(now), busy: [], limit: 4, ...extra };
}

/** "Fri 9:00"-style local labels, so expectations read like the product. */
function local(slots: readonly Slot[]): string[] {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return slots.map((s) => {
    const p = zonedParts(s.start, NY);
    return `${days[p.weekday]} ${p.month}/${p.day} ${p.hour}:${String(p.minute).padStart(2, '0')}`;
  });
}

const utc = (slots: readonly Slot[]) => slots.map((s) => s.start.toISOString());

describe('availableSlots', () => {
  it('keeps 9:00 local on the Friday before and the Monday after the 2026-11-01 fall-back (UTC offset −4 → −5)', () => {
    const slots = availableSlots(query('2026-10-30T12:00:00Z'));
    expect(local(slots)).toEqual(['Fri 10/30 9:00', 'Fri 10/30 9:40', 'Mon 11/2 9:00', 'Mon 11/2 9:40']);
    expect(utc(slots)).toEqual(['2026-10-30T13:00:00.000Z', '2026-10-30T13:40:00.000Z', '2026-11-02T14:00:00.000Z', '2026-11-02T14:40:00.000Z']);
  });

  it('keeps 9:00 local on the Friday before and the Monday after the 2026-03-08 spring-forward (UTC offset −5 → −4)', () => {
    const slots = availableSlots(query('2026-03-06T13:00:00Z'));
    expect(local(slots)).toEqual(['Fri 3/6 9:00', 'Fri 3/6 9:40', 'Mon 3/9 9:00', 'Mon 3/9 9:40']);
    expect(utc(slots)).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-06T14:40:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-09T13:40:00.000Z']);
  });

  it('never offers a grid time that does not exist (Sunday 02:30 at spring-forward)', () => {
    const hours = parseOfficeHours('Sun 01:00-04:00');
    const slots = allFreeSlots({ ...query('2026-03-08T05:00:00Z', { hours, minutes: 30 }), horizonDays: 1 });
    expect(local(slots)).toEqual(['Sun 3/8 1:00', 'Sun 3/8 1:30', 'Sun 3/8 3:00', 'Sun 3/8 3:30']);
  });

  it('ends the day with the last slot that ends at or before closing', () => {
    const day = allFreeSlots({ ...query('2026-12-01T05:00:00Z'), horizonDays: 1 });
    expect(local(day)).toEqual([
      'Tue 12/1 9:00', 'Tue 12/1 9:40', 'Tue 12/1 10:20', 'Tue 12/1 11:00', 'Tue 12/1 11:40', 'Tue 12/1 12:20',
      'Tue 12/1 13:00', 'Tue 12/1 13:40', 'Tue 12/1 14:20', 'Tue 12/1 15:00', 'Tue 12/1 15:40', 'Tue 12/1 16:20',
    ]);
    expect(day[day.length - 1].end.toISOString()).toBe('2026-12-01T22:00:00.000Z'); // 17:00 EST exactly
    const short = allFreeSlots({ ...query('2026-12-01T05:00:00Z', { hours: parseOfficeHours('Tue 9:00-16:50') }), horizonDays: 1 });
    expect(local(short).at(-1)).toBe('Tue 12/1 15:40'); // 16:20 would end at 17:00, after 16:50
    for (const slot of short) expect(slot.end.getTime() - slot.start.getTime()).toBe(40 * 60_000);
  });

  it('starts each split range at its own opening time', () => {
    const hours = parseOfficeHours('Tue 9:00-10:30 14:00-15:30');
    const slots = allFreeSlots({ ...query('2026-12-01T05:00:00Z', { hours, minutes: 45 }), horizonDays: 1 });
    expect(local(slots)).toEqual(['Tue 12/1 9:00', 'Tue 12/1 9:45', 'Tue 12/1 14:00', 'Tue 12/1 14:45']);
  });

  it('skips the weekend', () => {
    const slots = availableSlots(query('2026-12-04T21:00:00Z', { limit: 3 })); // Fri 16:00
    expect(local(slots)).toEqual(['Fri 12/4 16:20', 'Mon 12/7 9:00', 'Mon 12/7 9:40']);
  });

  it('respects the lead time: 24 h from Friday 16:00 is Saturday, so the first slot is Monday 9:00', () => {
    const slots = availableSlots(query('2026-12-04T21:00:00Z', { leadHours: 24, limit: 1 }));
    expect(local(slots)).toEqual(['Mon 12/7 9:00']);
  });

  it('never offers the past or a slot already started', () => {
    const slots = availableSlots(query('2026-12-01T14:01:00Z', { limit: 1 })); // Tue 9:01
    expect(local(slots)).toEqual(['Tue 12/1 9:40']);
  });

  it('skips busy slots, including a busy interval that only partially overlaps', () => {
    const busy = [
      { start: new Date('2026-12-01T14:00:00Z'), end: new Date('2026-12-01T14:40:00Z') }, // exactly Tue 9:00–9:40
      { start: new Date('2026-12-01T15:30:00Z'), end: new Date('2026-12-01T15:45:00Z') }, // 10:30–10:45, inside 10:20–11:00
      { start: new Date('2026-12-01T16:30:00Z'), end: new Date('2026-12-01T16:50:00Z') }, // 11:30–11:50, across 11:00/11:40
    ];
    const slots = availableSlots(query('2026-12-01T13:00:00Z', { busy, perDay: 10, limit: 4 }));
    expect(local(slots)).toEqual(['Tue 12/1 9:40', 'Tue 12/1 12:20', 'Tue 12/1 13:00', 'Tue 12/1 13:40']);
  });

  it('treats a busy interval that ends when a slot starts as not overlapping', () => {
    const busy = [{ start: new Date('2026-12-01T13:00:00Z'), end: new Date('2026-12-01T14:00:00Z') }]; // 8:00–9:00
    expect(local(availableSlots(query('2026-12-01T13:00:00Z', { busy, limit: 1 })))).toEqual(['Tue 12/1 9:00']);
  });

  it('caps slots per local day so clients see a choice of days', () => {
    expect(local(availableSlots(query('2026-12-01T13:00:00Z', { limit: 5 })))).toEqual([
      'Tue 12/1 9:00', 'Tue 12/1 9:40', 'Wed 12/2 9:00', 'Wed 12/2 9:40', 'Thu 12/3 9:00',
    ]);
    expect(local(availableSlots(query('2026-12-01T13:00:00Z', { perDay: 1, limit: 3 })))).toEqual([
      'Tue 12/1 9:00', 'Wed 12/2 9:00', 'Thu 12/3 9:00',
    ]);
    expect(availableSlots(query('2026-12-01T13:00:00Z', { limit: 0 }))).toEqual([]);
  });

  it('stops at the horizon and returns [] when nothing is free', () => {
    expect(availableSlots(query('2026-12-01T13:00:00Z', { horizonDays: 1, limit: 10 }))).toHaveLength(2);
    const allBusy = [{ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2027-02-01T00:00:00Z') }];
    expect(availableSlots(query('2026-12-01T13:00:00Z', { busy: allBusy }))).toEqual([]);
  });

  it('leaves out the local weekdays to avoid and the start times turned down, as if they were taken', () => {
    const declined = ['2026-12-01T14:00:00.000Z', '2026-12-03T14:40:00.000Z']; // Tue 9:00, Thu 9:40
    expect(local(availableSlots(query('2026-12-01T13:00:00Z', { avoidWeekdays: [3], declined, limit: 5 })))).toEqual([
      'Tue 12/1 9:40', 'Tue 12/1 10:20', 'Thu 12/3 9:00', 'Thu 12/3 10:20', 'Fri 12/4 9:00',
    ]);
    const free = allFreeSlots({ ...query('2026-12-01T05:00:00Z', { avoidWeekdays: [1, 2], declined }), horizonDays: 7 });
    expect(free).toHaveLength(3 * 12 - 1); // Wed, Thu, Fri; Thu 9:40 turned down
    expect(free.some((s) => [1, 2].includes(zonedParts(s.start, NY).weekday) || declined.includes(s.start.toISOString()))).toBe(false);
  });

  it('rejects a slot length that is not a positive whole number', () => {
    expect(() => availableSlots(query('2026-12-01T13:00:00Z', { minutes: 0 }))).toThrow(RangeError);
  });
});

describe('allFreeSlots', () => {
  it('has no per-day cap and covers the default 21-day horizon', () => {
    const slots = allFreeSlots(query('2026-12-01T05:00:00Z')); // Tue Dec 1, 00:00 local
    expect(slots).toHaveLength(15 * 12); // 15 weekdays from Tue Dec 1 to Mon Dec 21, 12 slots each
    expect(local([slots[0], slots[slots.length - 1]])).toEqual(['Tue 12/1 9:00', 'Mon 12/21 16:20']);
  });
});

describe('formatSlot', () => {
  const morning = { start: new Date('2026-12-01T15:00:00Z'), end: new Date('2026-12-01T15:40:00Z') };
  const afternoon = { start: new Date('2026-12-01T19:40:00Z'), end: new Date('2026-12-01T20:20:00Z') };

  it('writes English in the firm time zone', () => {
    expect(formatSlot(morning, NY, 'en')).toBe('Tue, Dec 1, 10:00 AM');
    expect(formatSlot(afternoon, NY, 'en')).toBe('Tue, Dec 1, 2:40 PM');
    expect(formatSlot(morning, 'America/Los_Angeles', 'en')).toBe('Tue, Dec 1, 7:00 AM');
  });

  it('writes Spanish in the firm time zone', () => {
    expect(formatSlot(morning, NY, 'es')).toMatch(/^mar 1 dic, 10:00 a\.\s?m\.$/);
    expect(formatSlot(afternoon, NY, 'es')).toMatch(/^mar 1 dic, 2:40 p\.\s?m\.$/);
    expect(formatSlot({ start: new Date('2026-10-31T13:00:00Z'), end: new Date() }, NY, 'es')).toMatch(/^sáb 31 oct, 9:00 a\.\s?m\.$/);
  });

  it('uses plain spaces only', () => {
    expect(formatSlot(morning, NY, 'en')).not.toMatch(/[\u00a0\u202f]/);
    expect(formatSlot(morning, NY, 'es')).not.toMatch(/[\u00a0\u202f]/);
  });
});
