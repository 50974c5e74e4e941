/**
 * Consultations staff manage: the list by day, the free times for a request, setting or changing its time (a time
 * another client holds is refused), proposing a time to the client, confirming (only with a real time; office
 * confirmations carry FIRM_ADDRESS, phone ones say the attorney will call), cancelling, completing, no-show. Each
 * change is one transaction: status, time, the client's message in their language, the case closed, the audit entry.
 */
import { addDays, isOpen, zonedTimeToUtc } from '../booking/office-hours';
import { allFreeSlots, availableSlots, formatInterval } from '../booking/slots';
import { canBecome, isActive } from '../booking/status';
import { STRINGS } from '../dialogue/strings';
import type { Interval } from '../dialogue/types';
import { SlotTakenError, type AuditEntry, type ChatTx, type ConsultationRecord, type ConsultationStatus } from '../store';
import type { Actor, ConsultationView, Delivery, DeskContext } from './context';
import { DeskError, parseDay } from './errors';

/** A free time staff can give a request. */
export interface FreeSlot extends Interval {
  /** "Tue, Dec 1, 10:20 AM" in the firm's time zone. */
  readonly label: string;
  /** Local date YYYY-MM-DD. */
  readonly day: string;
}

/** A consultation after a change, and what became of the message to the client (when one was due). */
export type Changed = ConsultationView & { readonly delivery?: Delivery };

/** What one change does inside its transaction. */
interface Change {
  readonly record: ConsultationRecord;
  /** The message to the client: typed by staff (`staff`, the bot pauses) or written by Puente for the firm. */
  readonly message?: { readonly text: string; readonly kind: 'staff' | 'firm' };
  readonly detail?: string;
}

const DAY_MS = 86_400_000;

export class Consultations {
  constructor(private readonly ctx: DeskContext) {}

  /** Consultations whose day (firm time) is in [from, from + days); `from` is YYYY-MM-DD (400 for impossible dates), default today. */
  async list(from: string | undefined, days = 14): Promise<ConsultationView[]> {
    const tz = this.ctx.deps.settings.timezone;
    const start = from ? parseDay(from) : parseDay(this.ctx.dayOf(this.ctx.now()));
    const to = addDays(start, days);
    const range = { from: zonedTimeToUtc(start.year, start.month, start.day, 0, 0, tz), to: zonedTimeToUtc(to.year, to.month, to.day, 0, 0, tz) };
    return (await this.ctx.store.consultations(range)).map((c) => this.ctx.view(c));
  }

  async get(id: number): Promise<ConsultationView> {
    return this.ctx.view(await this.find(id));
  }

  /**
   * Who did what to one consultation, newest first (among its client's latest 200 audit entries); [] once the firm has
   * no such client any more (erased, or forgotten after the retention period). 404 for an unknown consultation.
   */
  async audit(id: number): Promise<AuditEntry[]> {
    const c = await this.find(id);
    if (!(await this.ctx.store.client(c.chat))) return [];
    return (await this.ctx.store.audit({ chat: c.chat, limit: 200 })).filter((e) => e.consultationId === id);
  }

  /**
   * Free times for a consultation, inside office hours and at least BOOKING_LEAD_HOURS ahead, never one another
   * client holds: up to `perDay` a day over three weeks, or every free time of one day (YYYY-MM-DD).
   */
  async slots(id: number, options: { day?: string; limit?: number } = {}): Promise<FreeSlot[]> {
    const c = await this.find(id);
    const { settings } = this.ctx.deps;
    const now = this.ctx.now();
    const busy = (await this.ctx.store.consultations({ from: new Date(now.getTime() - DAY_MS) }))
      .filter((o) => o.id !== c.id && isActive(o.status) && o.slot)
      .map((o) => ({ start: new Date(o.slot!.start), end: new Date(o.slot!.end) }));
    const query = { hours: settings.hours, tz: settings.timezone, minutes: settings.consultationMinutes, leadHours: settings.bookingLeadHours, now, busy };
    const found = options.day
      ? (parseDay(options.day), allFreeSlots({ ...query, horizonDays: 60 }).filter((s) => this.ctx.dayOf(s.start) === options.day))
      : availableSlots({ ...query, limit: options.limit ?? 15, perDay: 3 });
    return found.map((s) => {
      const interval = { start: s.start.toISOString(), end: s.end.toISOString() };
      return { ...interval, label: formatInterval(interval, settings.timezone, 'en'), day: this.ctx.dayOf(s.start) };
    });
  }

  /**
   * Gives a requested or confirmed consultation a date and time (any future time staff choose; one another client
   * holds is refused with 409). Moving a confirmed one tells the client the new time.
   */
  schedule(id: number, start: Date, actor: Actor): Promise<Changed> {
    const slot = this.slotAt(start);
    return this.change(id, actor, 'consultation.schedule', async (tx, c, at) => {
      if (!isActive(c.status)) throw new DeskError(409, `a ${c.status} consultation cannot be given a time`, 'not-active');
      const record = await this.update(tx, c, { slot, at: at.toISOString() });
      const when = formatInterval(slot, this.ctx.deps.settings.timezone, c.lang);
      const message = c.status === 'confirmed' && c.slot?.start !== slot.start
        ? { text: this.withAddress(STRINGS[c.lang].consultationRescheduled(when, c.mode), c), kind: 'firm' as const }
        : undefined;
      return { record, message, detail: `${formatInterval(slot, this.ctx.deps.settings.timezone, 'en')}${this.outsideHours(slot) ? ' (outside office hours)' : ''}` };
    });
  }

  /**
   * Offers the client a time (the given one, or the one already set) in their language, as a message from staff: the
   * bot steps back in that chat, and staff confirm once the client agrees.
   */
  propose(id: number, start: Date | undefined, actor: Actor): Promise<Changed> {
    const slot = start ? this.slotAt(start) : undefined;
    return this.change(id, actor, 'consultation.propose', async (tx, c, at) => {
      if (c.status !== 'requested') throw new DeskError(409, `only a requested consultation can be proposed a time (this one is ${c.status})`, 'not-requested');
      const record = slot ? await this.update(tx, c, { slot, at: at.toISOString() }) : c;
      if (!record.slot) throw new DeskError(409, 'choose a date and time to propose first', 'needs-time');
      const when = formatInterval(record.slot, this.ctx.deps.settings.timezone, c.lang);
      return { record, message: { text: STRINGS[c.lang].consultationProposed(when, c.mode), kind: 'staff' }, detail: formatInterval(record.slot, this.ctx.deps.settings.timezone, 'en') };
    });
  }

  /** Confirms a requested consultation that has a real time, and tells the client (address or phone line, staff's note). */
  confirm(id: number, note: string | undefined, actor: Actor): Promise<Changed> {
    return this.change(id, actor, 'consultation.confirm', async (tx, c, at) => {
      this.allowed(c, 'confirmed');
      if (!c.slot) {
        throw new DeskError(409, `the client gave only a preference (“${c.preference ?? ''}”): set a date and time first, then confirm`, 'needs-time');
      }
      const record = await this.update(tx, c, { status: 'confirmed', note, at: at.toISOString() });
      await this.ctx.deps.applier.closeConsultationHandoff(tx, c.id, at);
      const when = formatInterval(c.slot, this.ctx.deps.settings.timezone, c.lang);
      const text = [this.withAddress(STRINGS[c.lang].consultationConfirmed(when, c.mode), c), note].filter(Boolean).join('\n\n');
      return { record, message: { text, kind: 'firm' }, detail: formatInterval(c.slot, this.ctx.deps.settings.timezone, 'en') };
    });
  }

  /** Cancels a consultation and tells the client why (the message is required). */
  cancel(id: number, message: string, actor: Actor): Promise<Changed> {
    return this.change(id, actor, 'consultation.cancel', async (tx, c, at) => {
      this.allowed(c, 'cancelled');
      const record = await this.update(tx, c, { status: 'cancelled', note: message, at: at.toISOString() });
      await this.ctx.deps.applier.closeConsultationHandoff(tx, c.id, at);
      const when = c.slot ? formatInterval(c.slot, this.ctx.deps.settings.timezone, c.lang) : (c.preference ?? '');
      return { record, message: { text: `${STRINGS[c.lang].consultationCancelledByFirm(when)}\n\n${message}`, kind: 'firm' } };
    });
  }

  complete(id: number, actor: Actor): Promise<Changed> {
    return this.change(id, actor, 'consultation.complete', async (tx, c, at) => {
      this.allowed(c, 'completed');
      return { record: await this.update(tx, c, { status: 'completed', at: at.toISOString() }) };
    });
  }

  /** The client did not come (or answer the call): only once the consultation's time has started. */
  noShow(id: number, actor: Actor): Promise<Changed> {
    return this.change(id, actor, 'consultation.no-show', async (tx, c, at) => {
      this.allowed(c, 'no-show');
      if (!c.slot || Date.parse(c.slot.start) > at.getTime()) throw new DeskError(409, 'the consultation has not started yet', 'not-started');
      return { record: await this.update(tx, c, { status: 'no-show', at: at.toISOString() }) };
    });
  }

  private async find(id: number): Promise<ConsultationRecord> {
    const c = await this.ctx.store.consultation(id);
    if (!c) throw new DeskError(404, 'no such consultation', 'no-consultation');
    return c;
  }

  private allowed(c: ConsultationRecord, to: ConsultationStatus): void {
    if (!canBecome(c.status, to)) throw new DeskError(409, `a ${c.status} consultation cannot become ${to}`, 'not-allowed');
  }

  /** A time staff chose, as a consultation interval: a real moment, whole minutes, in the future, within a year. */
  private slotAt(start: Date): Interval {
    const now = this.ctx.now().getTime();
    const t = start.getTime();
    if (!Number.isFinite(t) || start.getUTCSeconds() !== 0 || start.getUTCMilliseconds() !== 0) throw new DeskError(400, 'the time must be a date and time in whole minutes', 'bad-time');
    if (t <= now) throw new DeskError(400, 'that time has already passed', 'past-time');
    if (t > now + 366 * DAY_MS) throw new DeskError(400, 'that time is more than a year away', 'far-time');
    return { start: start.toISOString(), end: new Date(t + this.ctx.deps.settings.consultationMinutes * 60_000).toISOString() };
  }

  private outsideHours(slot: Interval): boolean {
    const { hours, timezone } = this.ctx.deps.settings;
    return !isOpen(hours, timezone, new Date(slot.start)) || !isOpen(hours, timezone, new Date(Date.parse(slot.end) - 60_000));
  }

  /**
   * An office consultation's message with the firm's address under it, a phone one's with the number the call comes
   * from (each left out when FIRM_ADDRESS / FIRM_PHONE is not set).
   */
  private withAddress(text: string, c: ConsultationRecord): string {
    const { address, phone } = this.ctx.deps.settings;
    if (c.mode === 'office' && address) return `${text}\n${STRINGS[c.lang].consultationAddress(address)}`;
    if (c.mode === 'phone' && phone) return `${text}\n${STRINGS[c.lang].consultationCallFrom(phone)}`;
    return text;
  }

  private async update(tx: ChatTx, c: ConsultationRecord, patch: Parameters<ChatTx['updateConsultation']>[2]): Promise<ConsultationRecord> {
    const updated = await tx.updateConsultation(c.id, c.status, patch);
    if (!updated) throw new DeskError(409, 'the consultation changed meanwhile; reload and try again', 'changed');
    return updated;
  }

  /** Runs one change in the consultation's chat transaction, with its message and audit entry, then sends the message. */
  private async change(id: number, actor: Actor, action: string, fn: (tx: ChatTx, c: ConsultationRecord, at: Date) => Promise<Change>): Promise<Changed> {
    const existing = await this.find(id);
    const refusal = (await this.ctx.cannotWrite(existing.chat)) !== undefined;
    const at = this.ctx.now();
    let done: { record: ConsultationRecord; outbox?: number; messaged: boolean };
    try {
      done = await this.ctx.store.withChat(existing.chat, async (tx) => {
        const current = await tx.consultation(id);
        if (!current || current.chat !== tx.chat) throw new DeskError(409, 'the consultation changed meanwhile; reload and try again', 'changed');
        const change = await fn(tx, current, at);
        const outbox = change.message && !refusal ? await this.ctx.queue(tx, change.message.text, change.message.kind, actor, at) : undefined;
        await tx.addAudit({ actor: actor.name, action, consultationId: id, detail: change.detail, at: at.toISOString() });
        return { record: change.record, outbox, messaged: change.message !== undefined };
      });
    } catch (err) {
      if (err instanceof SlotTakenError) throw new DeskError(409, 'another consultation already holds that time; choose another', 'slot-taken');
      throw err;
    }
    const view = this.ctx.view(done.record);
    return done.messaged ? { ...view, delivery: await this.ctx.delivered(existing.chat, done.outbox) } : view;
  }
}
