/**
 * The firm's calendar: a private iCalendar feed of requested and confirmed consultations at a secret address that
 * Google Calendar and Outlook can subscribe to (staff rotate the secret when it leaks), and a CSV export by date
 * range for the office's books. Written with ical-generator, not by hand.
 */
import { randomBytes } from 'node:crypto';
import ical, { ICalEventStatus } from 'ical-generator';
import { zonedTimeToUtc, addDays } from '../booking/office-hours';
import { isActive } from '../booking/status';
import { displayChat } from '../handoff/notify';
import { sameSecret } from '../secrets';
import type { ConsultationRecord } from '../store';
import type { Actor, DeskContext } from './context';
import { DeskError, parseDay } from './errors';

/** The setting that holds the feed's secret. */
const FEED_SECRET = 'calendar-feed-secret';
const DAY_MS = 86_400_000;
/** The feed covers consultations from this many days ago on (subscribed calendars keep what they already have). */
const FEED_PAST_DAYS = 60;

const LANGUAGE = { en: 'English', es: 'Spanish' } as const;

/** "14:20" formatters of the CSV, one per time zone. */
const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** "14:20" in `tz`. */
function clockTime(at: Date, tz: string): string {
  let f = clockFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormatters.set(tz, f);
  }
  return f.format(at);
}

/** A CSV export and the dates it covers (YYYY-MM-DD). */
export interface CsvExport {
  readonly from: string;
  readonly to: string;
  readonly csv: string;
}

/** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
function cell(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  // A plain number ("+15551230001") is no formula; anything else starting like one is quoted.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^[+-]?[\d ().-]+$/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export class Calendar {
  constructor(private readonly ctx: DeskContext) {}

  /** The feed's secret, made on first use. */
  secret(): Promise<string> {
    return this.ctx.store.initSetting(FEED_SECRET, randomBytes(24).toString('base64url'), this.ctx.now());
  }

  /** A new secret: the old address stops working at once, on every server. */
  async rotate(actor: Actor): Promise<string> {
    const secret = randomBytes(24).toString('base64url');
    const at = this.ctx.now();
    await this.ctx.store.putSetting(FEED_SECRET, secret, at);
    await this.ctx.store.addAudit({ actor: actor.name, action: 'calendar.rotate', at: at.toISOString() });
    return secret;
  }

  /** True when `given` is the feed's secret. */
  async isSecret(given: string): Promise<boolean> {
    const secret = await this.ctx.store.setting(FEED_SECRET);
    return secret !== undefined && given.length > 0 && given.length <= 100 && sameSecret(given, secret);
  }

  /** The feed: every requested or confirmed consultation with a time, from two months ago on. */
  async feed(): Promise<string> {
    const { settings } = this.ctx.deps;
    const from = new Date(this.ctx.now().getTime() - FEED_PAST_DAYS * DAY_MS);
    const list = (await this.ctx.store.consultations({ from })).filter((c) => isActive(c.status) && c.slot);
    const calendar = ical({ name: `${settings.firmName ?? 'Puente'} consultations`, timezone: settings.timezone, prodId: { company: 'Puente', product: 'consultations', language: 'EN' }, ttl: 15 * 60 });
    for (const c of list) {
      calendar.createEvent({
        id: `consultation-${c.id}@puente`,
        start: new Date(c.slot!.start),
        end: new Date(c.slot!.end),
        stamp: new Date(c.updatedAt),
        summary: `${c.status === 'requested' ? '(to confirm) ' : ''}${c.mode === 'phone' ? 'Phone' : 'Office'} consultation: ${c.name ?? 'name not given'}`,
        description: this.describe(c),
        status: c.status === 'confirmed' ? ICalEventStatus.CONFIRMED : ICalEventStatus.TENTATIVE,
        ...(c.mode === 'office' && settings.address ? { location: settings.address } : {}),
      });
    }
    return calendar.toString();
  }

  /**
   * Consultations whose day (firm time) is in [from, to], as CSV (one header line); `from` is today when not given, `to`
   * is `from`. 400 for impossible dates or a reversed range.
   */
  async csv(fromDay?: string, toDay?: string): Promise<CsvExport> {
    const tz = this.ctx.deps.settings.timezone;
    const fromText = fromDay ?? this.ctx.dayOf(this.ctx.now());
    const toText = toDay ?? fromText;
    const from = parseDay(fromText);
    const to = addDays(parseDay(toText), 1);
    const range = { from: zonedTimeToUtc(from.year, from.month, from.day, 0, 0, tz), to: zonedTimeToUtc(to.year, to.month, to.day, 0, 0, tz) };
    if (range.to <= range.from) throw new DeskError(400, '"to" must be on or after "from"', 'bad-range');
    if (range.to.getTime() - range.from.getTime() > 400 * DAY_MS) throw new DeskError(400, 'export at most 400 days at a time', 'bad-range');
    const list = await this.ctx.store.consultations(range);
    const time = (iso: string | undefined) => (iso ? clockTime(new Date(iso), tz) : '');
    const lines = [['id', 'date', 'start', 'end', 'status', 'mode', 'name', 'phone', 'language', 'topic', 'preference', 'note'].map(cell).join(',')];
    for (const c of list) {
      const v = this.ctx.view(c);
      lines.push([c.id, v.day, time(c.slot?.start), time(c.slot?.end), c.status, c.mode, c.name, v.phone, LANGUAGE[c.lang], c.topic, c.preference, c.note].map(cell).join(','));
    }
    return { from: fromText, to: toText, csv: `${lines.join('\r\n')}\r\n` };
  }

  private describe(c: ConsultationRecord): string {
    return [
      `Status: ${c.status === 'confirmed' ? 'confirmed' : 'requested, not confirmed yet'}`,
      `Client: ${c.name ?? 'name not given'} · ${displayChat(c.chat)} · writes in ${LANGUAGE[c.lang]}`,
      c.topic ? `Topic: ${c.topic}` : undefined,
      c.mode === 'phone' ? 'The attorney calls the client.' : undefined,
      `Puente consultation #${c.id}`,
    ].filter(Boolean).join('\n');
  }
}
