/**
 * What every part of the staff desk shares: its dependencies, who is acting, and sending a message to a client
 * through the outbox (one transaction, then the sender), with the honest result: sent, queued or failed.
 */
import { formatInterval } from '../booking/slots';
import { zonedParts } from '../booking/office-hours';
import type { OfficeHours } from '../booking/office-hours';
import type { ChannelStatus } from '../channels/channel';
import type { Clock } from '../clock';
import type { ExplainerLibrary } from '../content/explainers';
import { displayChat } from '../handoff/notify';
import type { ChatTx, ConsultationRecord, Store } from '../store';
import type { TurnApplier } from '../turn/apply';
import { recordStaffMessage } from '../turn/runner';
import type { OutboxSender } from '../turn/sender';
import { SERVICE_WINDOW_MS } from '../turn/sender';
import { ERASED_CHAT } from '../storage/rows';
import { dayText, DeskError } from './errors';

/**
 * Whether a message to a client went out: sent now, waiting in the outbox (channel down), given up, or not sent at all
 * (WhatsApp's 24-hour window is closed, or the client erased their data).
 */
export type Delivery = 'sent' | 'queued' | 'failed' | 'not-sent';

/** The signed-in staff member doing something. */
export interface Actor {
  readonly id: number;
  readonly name: string;
  readonly role: 'admin' | 'staff';
}

/** The firm's settings the desk uses. */
export interface DeskSettings {
  readonly timezone: string;
  readonly hours: OfficeHours;
  readonly consultationMinutes: number;
  readonly bookingLeadHours: number;
  readonly firmName?: string;
  /** FIRM_ADDRESS: office confirmations carry it; never invented when unset. */
  readonly address?: string;
  /** FIRM_PHONE: phone confirmations say the call comes from it (clients often ignore unknown numbers); left out when unset. */
  readonly phone?: string;
}

/** What the desk needs. */
export interface DeskDeps {
  readonly store: Store;
  readonly sender: Pick<OutboxSender, 'flush'>;
  readonly applier: Pick<TurnApplier, 'closeConsultationHandoff'>;
  readonly library: ExplainerLibrary;
  readonly settings: DeskSettings;
  readonly clock: Clock;
  readonly channel: () => ChannelStatus;
  readonly qr: () => string | undefined;
}

/** A consultation with its time as the firm reads it. */
export interface ConsultationView extends ConsultationRecord {
  /** "Tue, Dec 1, 10:20 AM" in the firm's time zone, or undefined while there is only a preference. */
  readonly when?: string;
  /** Local date YYYY-MM-DD of the time (or of the request when there is no time). */
  readonly day: string;
  readonly phone: string;
}

/** Shared helpers of the desk's parts. */
export class DeskContext {
  constructor(readonly deps: DeskDeps) {}

  get store(): Store {
    return this.deps.store;
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** YYYY-MM-DD of a moment in the firm's time zone. */
  dayOf(at: Date): string {
    return dayText(zonedParts(at, this.deps.settings.timezone));
  }

  view(c: ConsultationRecord): ConsultationView {
    const tz = this.deps.settings.timezone;
    return { ...c, when: c.slot ? formatInterval(c.slot, tz, 'en') : undefined, day: this.dayOf(new Date(c.slot?.start ?? c.createdAt)), phone: displayChat(c.chat) };
  }

  /**
   * Why the firm cannot write to this chat now, or undefined when it can. On the Cloud API, Meta accepts free-form
   * text only within 24 hours of the client's last message; after that only an approved template can open the chat.
   */
  async cannotWrite(chat: string): Promise<DeskError | undefined> {
    if (chat === ERASED_CHAT) return new DeskError(409, 'the client erased their data; there is no one to write to', 'erased');
    const client = await this.store.client(chat);
    if (!client) return new DeskError(404, 'no such client', 'no-client');
    if (this.deps.channel().name !== 'cloud-api') return undefined;
    const last = client.lastInboundAt ? Date.parse(client.lastInboundAt) : undefined;
    if (last !== undefined && this.now().getTime() - last < SERVICE_WINDOW_MS) return undefined;
    const since = last === undefined ? 'has never written' : `last wrote ${Math.floor((this.now().getTime() - last) / 3_600_000)} hours ago`;
    return new DeskError(
      409,
      `WhatsApp allows a business to write freely only within 24 hours of the client's last message, and this client ${since}. ` +
        'Nothing was sent. To write first, send an approved template message (for example a "follow-up" utility template created in WhatsApp Manager), ' +
        `or call the client at ${displayChat(chat)}. Once they answer, you can write here again for 24 hours.`,
      'window-closed',
    );
  }

  /**
   * Sends a message to a client in the chat's order: `staff` (typed by a person: recorded as staff activity, so the bot
   * pauses there, and it claims the case for the writer) or `firm` (written by Puente on staff's behalf, e.g. a
   * confirmation). `inTx` runs in the same transaction (the audit entry). Queued first, so a channel that is down
   * sends it later; says whether it went out now.
   */
  async tell(chat: string, text: string, as: { kind: 'staff' | 'firm'; actor: Actor }, inTx?: (tx: ChatTx) => Promise<void>): Promise<Delivery> {
    const refusal = await this.cannotWrite(chat);
    if (refusal) throw refusal;
    const now = this.now();
    const id = await this.store.withChat(chat, async (tx) => {
      const queued = await this.queue(tx, text, as.kind, as.actor, now);
      await inTx?.(tx);
      return queued;
    });
    return this.delivered(chat, id);
  }

  /** Records and queues a message to the transaction's client (see {@link tell}); returns the outbox id. */
  async queue(tx: ChatTx, text: string, kind: 'staff' | 'firm', actor: Actor, now: Date): Promise<number> {
    if (kind === 'staff') await recordStaffMessage(tx, text, now, actor.name);
    else {
      await tx.touchContact(now);
      await tx.addMessages([{ direction: 'out', author: 'bot', type: 'text', text, at: now.toISOString() }]);
    }
    const [entry] = await tx.enqueue([text], now);
    return entry.id;
  }

  /** Sends what was queued for `chat` and says what became of outbox entry `id` (undefined: nothing was queued). */
  async delivered(chat: string, id: number | undefined): Promise<Delivery> {
    if (id === undefined) return 'not-sent';
    await this.deps.sender.flush(chat);
    const state = await this.store.outboxState(id);
    return state === 'failed' ? 'failed' : state ? 'sent' : 'queued';
  }
}
