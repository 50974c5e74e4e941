/**
 * Consultation slots (SPEC §2 journey 5): a fixed grid of `minutes`-long appointments inside office hours, in the firm's
 * wall-clock time, minus what is too soon or already taken.
 */
import { addDays, offsetMinutes, type OfficeHours, zonedParts, zonedTimeToUtc } from './office-hours';

/** One appointment time, [start, end). */
export interface Slot {
  readonly start: Date;
  readonly end: Date;
}

/** What to look for. `busy` holds taken intervals (existing consultations, blocked time); they may be any length. */
export interface SlotQuery {
  readonly hours: OfficeHours;
  readonly tz: string;
  /** Length of one slot, and the step of the grid. */
  readonly minutes: number;
  /** Minimum notice: no slot starts earlier than `now` plus this many hours. */
  readonly leadHours: number;
  readonly now: Date;
  readonly busy: readonly { start: Date; end: Date }[];
  readonly limit: number;
  /** At most this many slots per local day (default 2). */
  readonly perDay?: number;
  /** Local calendar days looked at, today included (default 21). */
  readonly horizonDays?: number;
  /** Local weekdays (0 = Sunday) not to offer: days the client cannot do. */
  readonly avoidWeekdays?: readonly number[];
  /** Start times (ISO) not to offer: times the client turned down. */
  readonly declined?: readonly string[];
}

const DEFAULT_PER_DAY = 2;
const DEFAULT_HORIZON_DAYS = 21;

/**
 * Every free slot within the horizon, in order, with the local date it falls on.
 * @throws RangeError when `minutes` is not a positive whole number (a configuration bug, not an outcome).
 */
function* freeSlots(q: Omit<SlotQuery, 'limit' | 'perDay'>): Generator<{ slot: Slot; date: string }> {
  if (!Number.isInteger(q.minutes) || q.minutes <= 0) throw new RangeError(`slot length must be a positive whole number of minutes, got ${q.minutes}`);
  const earliest = Math.max(q.now.getTime(), q.now.getTime() + q.leadHours * 3_600_000);
  const today = zonedParts(q.now, q.tz);
  for (let offset = 0; offset < (q.horizonDays ?? DEFAULT_HORIZON_DAYS); offset++) {
    const date = addDays(today, offset);
    if (q.avoidWeekdays?.includes(date.weekday)) continue;
    for (const [open, close] of q.hours.week[date.weekday]) {
      for (let minute = open; minute + q.minutes <= close; minute += q.minutes) {
        const start = zonedTimeToUtc(date.year, date.month, date.day, 0, minute, q.tz);
        if (start.getTime() < earliest) continue;
        // A grid time that does not exist locally (spring-forward gap) is skipped rather than offered at an odd time.
        const localMinute = Math.floor((start.getTime() + offsetMinutes(start.getTime(), q.tz) * 60_000) / 60_000) % 1440;
        if (localMinute !== minute % 1440) continue;
        const end = new Date(start.getTime() + q.minutes * 60_000);
        if (q.busy.some((b) => b.start.getTime() < end.getTime() && start.getTime() < b.end.getTime())) continue;
        if (q.declined?.includes(start.toISOString())) continue;
        yield { slot: { start, end }, date: `${date.year}-${date.month}-${date.day}` };
      }
    }
  }
}

/**
 * The next free slots: each `minutes` long, starting at opening time and every `minutes` after, ending at or before closing
 * (a 40-min grid in 9–17 gives 9:00, 9:40 … 16:00; 16:40 would end at 17:20 → excluded); start >= now + leadHours; not
 * overlapping any busy interval; at most perDay per local day (so clients see a choice of days), up to limit; computed in tz
 * wall-clock so DST changes keep local times (9:00 stays 9:00 local on both sides of a change). Returns [] when nothing is
 * free within the horizon.
 * @throws RangeError when `minutes` is not a positive whole number.
 */
export function availableSlots(q: SlotQuery): Slot[] {
  const perDay = q.perDay ?? DEFAULT_PER_DAY;
  const slots: Slot[] = [];
  const countByDate = new Map<string, number>();
  if (q.limit <= 0) return slots;
  for (const { slot, date } of freeSlots(q)) {
    const count = countByDate.get(date) ?? 0;
    if (count >= perDay) continue;
    countByDate.set(date, count + 1);
    slots.push(slot);
    if (slots.length >= q.limit) break;
  }
  return slots;
}

/**
 * All free slots within the horizon, no per-day cap (for matching free-text answers).
 * @throws RangeError when `minutes` is not a positive whole number.
 */
export function allFreeSlots(q: Omit<SlotQuery, 'limit' | 'perDay'>): Slot[] {
  return Array.from(freeSlots(q), ({ slot }) => slot);
}

const slotFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "Tue, Dec 1, 10:00 AM" / "mar 1 dic, 10:00 a.m." — short, unambiguous, in tz. Built from `Intl` parts ('en-US' /
 * 'es-US') so the shape is the same on every ICU version; the am/pm marker is ICU's.
 */
export function formatSlot(slot: Slot, tz: string, lang: 'en' | 'es'): string {
  const key = `${lang}|${tz}`;
  let f = slotFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'es-US', {
      timeZone: tz, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true,
    });
    slotFormatters.set(key, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(slot.start)) p[part.type] = part.value.replace(/[\s\u00a0\u202f]+/g, ' ');
  const time = `${p.hour}:${p.minute} ${p.dayPeriod}`;
  const month = p.month.replace(/\.$/, '');
  return lang === 'en' ? `${p.weekday}, ${month} ${p.day}, ${time}` : `${p.weekday.replace(/\.$/, '')} ${p.day} ${month}, ${time}`;
}

/** {@link formatSlot} for a stored interval (ISO strings), as consultations keep their time. */
export function formatInterval(interval: { readonly start: string; readonly end: string }, tz: string, lang: 'en' | 'es'): string {
  return formatSlot({ start: new Date(interval.start), end: new Date(interval.end) }, tz, lang);
}
