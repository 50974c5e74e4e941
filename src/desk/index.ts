/**
 * The staff desk: what staff do, as use cases the dashboard pages and the JSON API both call (neither holds a rule).
 * Each part is one idea: accounts and sign-in, the inbox, clients, consultations, the calendar, insights and content.
 */
import type { ChannelStatus } from '../channels/channel';
import { Calendar } from './calendar';
import { Clients } from './clients';
import { Consultations } from './consultations';
import { DeskContext, type DeskDeps } from './context';
import { dayText, DeskError } from './errors';
import type { AuditEntry, MediaRecord } from '../store';
import { Handoffs } from './handoffs';
import { InsightsDesk } from './insights';
import { StaffDesk } from './staff';
import { zonedParts } from '../booking/office-hours';

export type { Actor, ConsultationView, Delivery, DeskDeps, DeskSettings } from './context';
export { DeskError, parseDay } from './errors';

/** The staff desk. */
export class Desk {
  readonly staff: StaffDesk;
  readonly handoffs: Handoffs;
  readonly clients: Clients;
  readonly consultations: Consultations;
  readonly calendar: Calendar;
  readonly insights: InsightsDesk;
  private readonly ctx: DeskContext;

  constructor(deps: DeskDeps) {
    this.ctx = new DeskContext(deps);
    this.staff = new StaffDesk(deps.store, () => deps.clock.now());
    this.handoffs = new Handoffs(this.ctx);
    this.clients = new Clients(this.ctx);
    this.consultations = new Consultations(this.ctx);
    this.calendar = new Calendar(this.ctx);
    this.insights = new InsightsDesk(this.ctx);
  }

  get timezone(): string {
    return this.ctx.deps.settings.timezone;
  }

  get settings(): DeskDeps['settings'] {
    return this.ctx.deps.settings;
  }

  /** The channel's state, with the QR code to scan while the phone is not linked. */
  channel(): ChannelStatus & { qr?: string } {
    const qr = this.ctx.deps.qr();
    return { ...this.ctx.deps.channel(), ...(qr ? { qr } : {}) };
  }

  /** Today's date in the firm's time zone, YYYY-MM-DD. */
  today(): string {
    return dayText(zonedParts(this.ctx.now(), this.timezone));
  }

  now(): Date {
    return this.ctx.now();
  }

  /** A voice note, photo or file a client sent; 404 when it is not kept (erased, purged, never received). */
  async media(id: number): Promise<MediaRecord> {
    const found = await this.ctx.store.media(id);
    if (!found) throw new DeskError(404, 'no such file: it may have been erased or purged', 'no-media');
    return found;
  }

  /** The latest staff actions, newest first. */
  audit(limit = 100): Promise<AuditEntry[]> {
    return this.ctx.store.audit({ limit });
  }
}
