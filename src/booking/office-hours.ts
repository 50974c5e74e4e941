/**
 * The firm's opening hours (SPEC §10 `OFFICE_HOURS`) and the time-zone arithmetic booking rests on.
 *
 * Hours are wall-clock times in the firm's zone (`FIRM_TIMEZONE`), so "9:00" means 9:00 local on both sides of a
 * daylight-saving change. Time zones come from `Intl.DateTimeFormat` (Node ships full ICU); no clock is read here —
 * every instant comes in as a parameter.
 */
import { foldAccents } from '../nlu/normalise';

/** Weekly opening hours: for each weekday (0 = Sunday … 6 = Saturday) a sorted list of [openMinute, closeMinute) in local time. */
export interface OfficeHours {
  readonly week: readonly (readonly (readonly [number, number])[])[];
  /** The text the hours were parsed from, trimmed. */
  readonly text: string;
}

/** Bad `OFFICE_HOURS` text; the message is one short line saying what is wrong. */
export class OfficeHoursError extends Error {
  override readonly name = 'OfficeHoursError';
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const DAY_WORDS: Readonly<Record<string, number>> = {
  sun: 0, sunday: 0, dom: 0, domingo: 0,
  mon: 1, monday: 1, lun: 1, lunes: 1,
  tue: 2, tues: 2, tuesday: 2, mar: 2, martes: 2,
  wed: 3, weds: 3, wednesday: 3, mie: 3, mier: 3, miercoles: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, jue: 4, jueves: 4,
  fri: 5, friday: 5, vie: 5, viernes: 5,
  sat: 6, saturday: 6, sab: 6, sabado: 6,
};

const TIME = String.raw`(\d{1,2})(?::(\d{2}))?\s*(am|pm)?`;
const TOKENS = new RegExp(
  String.raw`\s*(?:(?<range>${TIME}\s*-\s*${TIME})|(?<days>[a-z]+)\.?(?:\s*-\s*(?<until>[a-z]+)\.?)?|(?<sep>[,;])|(?<junk>\S+))`,
  'y',
);

interface RawTime { readonly hour: number; readonly minute: number; readonly suffix: 'am' | 'pm' | undefined }

/**
 * Parses OFFICE_HOURS. Accepts e.g. "Mon-Fri 09:00-17:00", "Mon-Fri 9:00-13:00 14:00-18:00; Sat 10:00-14:00",
 * "Mon,Wed,Fri 09:00-17:00", "Lun-Vie 09:00-17:00", 24h times, optional am/pm ("9am-5pm"), en dash/em dash as ranges,
 * ';' or ',' between groups where unambiguous. Day ranges may wrap ("Fri-Mon"); touching ranges on one day are merged.
 * @throws OfficeHoursError (message = one short line) on an unknown day, a bad time, close before open, overlapping
 * ranges, days without hours, hours without days, or no days at all.
 */
export function parseOfficeHours(text: string): OfficeHours {
  const source = foldAccents(text)
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\b([ap])\.\s?m\.?/g, '$1m')
    .replace(/\s+(?:to|through|thru|until|a|al|hasta)\s+/g, '-')
    .replace(/\s+(?:and|y|&)\s+/g, ', ');
  const week: [number, number][][] = [[], [], [], [], [], [], []];
  let days: number[] = [];
  let daysHaveHours = false;
  let sawDay = false;
  TOKENS.lastIndex = 0;
  while (TOKENS.lastIndex < source.length) {
    const match = TOKENS.exec(source);
    if (!match?.groups) break;
    const g = match.groups;
    if (g.junk !== undefined) throw new OfficeHoursError(`office hours: cannot read "${g.junk}"`);
    if (g.sep === ';' && days.length > 0 && !daysHaveHours) throw missingHours(days);
    if (g.days !== undefined) {
      if (daysHaveHours || days.length === 0) days = [];
      daysHaveHours = false;
      days.push(...dayRange(g.days, g.until));
      sawDay = true;
    } else if (g.range !== undefined) {
      if (days.length === 0) throw new OfficeHoursError(`office hours: "${g.range.trim()}" has no day before it`);
      const [open, close] = timeRange(match.slice(2, 5), match.slice(5, 8), g.range.trim());
      for (const day of days) week[day].push([open, close]);
      daysHaveHours = true;
    }
  }
  if (!sawDay) throw new OfficeHoursError('office hours: no days given (e.g. "Mon-Fri 09:00-17:00")');
  if (!daysHaveHours) throw missingHours(days);
  return { week: week.map((ranges, day) => mergeDay(ranges, day)), text: text.trim() };
}

function missingHours(days: readonly number[]): OfficeHoursError {
  return new OfficeHoursError(`office hours: ${DAY_NAMES.en[days[days.length - 1]]} has no hours`);
}

/** The weekday (0 = Sunday) an English or Spanish day name or abbreviation stands for, accents folded ("miercoles", "sat"). */
export function weekdayFromWord(word: string): number | undefined {
  return Object.hasOwn(DAY_WORDS, word) ? DAY_WORDS[word] : undefined;
}

function dayIndex(word: string): number {
  const day = weekdayFromWord(word);
  if (day === undefined) throw new OfficeHoursError(`office hours: unknown day "${word}"`);
  return day;
}

function dayRange(from: string, until: string | undefined): number[] {
  const first = dayIndex(from);
  if (until === undefined) return [first];
  const last = dayIndex(until);
  const days = [first];
  for (let day = first; day !== last; ) days.push((day = (day + 1) % 7));
  return days;
}

function readTime([hour, minute, suffix]: string[], range: string): RawTime {
  const time = { hour: Number(hour), minute: minute === undefined ? 0 : Number(minute), suffix: suffix as RawTime['suffix'] };
  const bad = time.minute > 59 || (time.suffix ? time.hour < 1 || time.hour > 12 : time.hour > 24);
  if (bad) throw new OfficeHoursError(`office hours: bad time in "${range}"`);
  return time;
}

function toMinutes(time: RawTime, suffix: RawTime['suffix']): number {
  const hour = suffix === undefined ? time.hour : (time.hour % 12) + (suffix === 'pm' ? 12 : 0);
  return hour * 60 + time.minute;
}

/** "9-5pm" means 9am to 5pm and "11-1pm" 11am to 1pm: a missing am/pm takes the other end's, or the opposite one if that would run backwards. */
function timeRange(openParts: string[], closeParts: string[], range: string): [number, number] {
  const open = readTime(openParts, range);
  const close = readTime(closeParts, range);
  let openSuffix = open.suffix;
  let closeSuffix = close.suffix;
  const flip = (s: 'am' | 'pm') => (s === 'am' ? 'pm' : 'am');
  if (openSuffix === undefined && closeSuffix !== undefined && open.hour <= 12) {
    openSuffix = toMinutes(open, closeSuffix) < toMinutes(close, closeSuffix) ? closeSuffix : flip(closeSuffix);
  } else if (closeSuffix === undefined && openSuffix !== undefined && close.hour <= 12) {
    closeSuffix = toMinutes(open, openSuffix) < toMinutes(close, openSuffix) ? openSuffix : flip(openSuffix);
  }
  const start = toMinutes(open, openSuffix);
  const end = toMinutes(close, closeSuffix);
  if (start >= 24 * 60 || end > 24 * 60) throw new OfficeHoursError(`office hours: bad time in "${range}"`);
  if (end <= start) throw new OfficeHoursError(`office hours: "${range}" closes before it opens`);
  return [start, end];
}

function mergeDay(ranges: [number, number][], day: number): (readonly [number, number])[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range[0] < last[1]) {
      throw new OfficeHoursError(`office hours: overlapping hours on ${DAY_NAMES.en[day]}`);
    }
    if (last && range[0] === last[1]) last[1] = range[1];
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

// ── time zones ──────────────────────────────────────────────────────────────────────────────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * Wall-clock parts of an instant in a time zone (month 1–12, weekday 0 = Sunday). Seconds are dropped.
 * @throws RangeError for an unknown time zone.
 */
export function zonedParts(at: Date, tz: string): { year: number; month: number; day: number; weekday: number; hour: number; minute: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year, month, day, minute } = parts;
  const hour = parts.hour % 24;
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(), hour, minute };
}

const QUARTER_MS = 15 * MINUTE_MS;
const offsets = new Map<string, number>();

/**
 * Minutes the zone is ahead of UTC at an instant (negative west of Greenwich). Memoised per quarter hour: zone offsets
 * change only on quarter-hour boundaries, and `Intl` formatting is the slow part of slot search.
 */
export function offsetMinutes(at: number, tz: string): number {
  const bucket = Math.floor(at / QUARTER_MS) * QUARTER_MS;
  const key = `${tz}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const p = zonedParts(new Date(bucket), tz);
    offset = (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - bucket) / MINUTE_MS;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant of a local wall-clock time in tz. Nonexistent local times (spring-forward gap) move forward to the first valid
 * minute; ambiguous ones (fall-back) take the earlier instant. Out-of-range fields roll over like `Date.UTC` (minute 600 is 10:00).
 */
export function zonedTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, tz: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Zone transitions are weeks apart, so the offsets a day either side are the only two this wall time can have.
  const before = offsetMinutes(wall - DAY_MS, tz);
  const after = offsetMinutes(wall + DAY_MS, tz);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((at) => wall - offsetMinutes(at, tz) * MINUTE_MS === at)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In a gap: the first valid minute is the transition itself, between the two readings of the wall time.
  let lo = wall - after * MINUTE_MS;
  let hi = wall - before * MINUTE_MS;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMinutes(mid, tz) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** Local calendar date `days` after the given one (days may be negative). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** True when the office is open at that instant (opening minute included, closing minute excluded). */
export function isOpen(hours: OfficeHours, tz: string, at: Date): boolean {
  const p = zonedParts(at, tz);
  const minute = p.hour * 60 + p.minute;
  return hours.week[p.weekday].some(([open, close]) => minute >= open && minute < close);
}

/** The first instant >= from at which the office is open (undefined if never within 14 days). */
export function nextOpening(hours: OfficeHours, tz: string, from: Date): Date | undefined {
  if (isOpen(hours, tz, from)) return from;
  const today = zonedParts(from, tz);
  for (let offset = 0; offset <= 14; offset++) {
    const date = addDays(today, offset);
    for (const [open] of hours.week[date.weekday]) {
      const at = zonedTimeToUtc(date.year, date.month, date.day, 0, open, tz);
      if (at.getTime() >= from.getTime()) return at.getTime() - from.getTime() <= 14 * DAY_MS ? at : undefined;
    }
  }
  return undefined;
}

// ── description ─────────────────────────────────────────────────────────────────────────────────────────────────────

const DAY_NAMES = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  es: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
} as const;

const WORDS = {
  en: { and: 'and', closed: 'closed', days: (a: string, b: string) => `${a} to ${b}`, time: (a: string, b: string) => `${a} to ${b}` },
  es: { and: 'y', closed: 'cerrado', days: (a: string, b: string) => `de ${a} a ${b}`, time: (a: string, b: string) => `de ${a} a ${b}` },
} as const;

/** "9:00", "17:30": hours unpadded, minutes padded. */
export function formatMinute(minute: number): string {
  return `${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}`;
}

function joinList(items: readonly string[], and: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/**
 * Human text of the hours in a language ('en' | 'es'): "Monday to Friday, 9:00 to 17:00" / "de lunes a viernes, de 9:00
 * a 17:00". Days with the same hours are grouped (Monday first); groups are separated by "; ". "closed" / "cerrado" when
 * the office never opens. Used in replies.
 */
export function describeHours(hours: OfficeHours, lang: 'en' | 'es'): string {
  const words = WORDS[lang];
  const order = [1, 2, 3, 4, 5, 6, 0];
  const groups = new Map<string, number[]>();
  for (const day of order) {
    const ranges = hours.week[day];
    if (ranges.length === 0) continue;
    const key = ranges.map(([a, b]) => `${a}-${b}`).join(',');
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  if (groups.size === 0) return words.closed;
  const parts: string[] = [];
  for (const days of groups.values()) {
    const runs: number[][] = [];
    for (const day of days) {
      const run = runs[runs.length - 1];
      if (run && order.indexOf(day) === order.indexOf(run[run.length - 1]) + 1) run.push(day);
      else runs.push([day]);
    }
    const dayText = joinList(
      runs.flatMap((run) =>
        run.length >= 3 ? [words.days(DAY_NAMES[lang][run[0]], DAY_NAMES[lang][run[run.length - 1]])] : run.map((d) => DAY_NAMES[lang][d]),
      ),
      words.and,
    );
    const times = joinList(hours.week[days[0]].map(([a, b]) => words.time(formatMinute(a), formatMinute(b))), words.and);
    parts.push(`${dayText}, ${times}`);
  }
  return parts.join('; ');
}
