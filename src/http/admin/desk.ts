/**
 * The staff desk: what the dashboard and the JSON API show and do, in one place (both are thin layers over it).
 * Inbox of handoffs, replies through the active channel, consultations, insights and content health.
 */
import { stringify } from 'yaml';
import { formatInterval } from '../../booking/slots';
import { zonedParts, zonedTimeToUtc, addDays } from '../../booking/office-hours';
import { canBecome } from '../../booking/status';
import type { ChannelStatus } from '../../channels/channel';
import type { Clock } from '../../clock';
import type { ExplainerLibrary } from '../../content/explainers';
import { STRINGS } from '../../dialogue/strings';
import { displayChat } from '../../handoff/notify';
import { NONE, type Lang } from '../../nlu/types';
import type { ConsultationRecord, ConsultationStatus, HandoffRecord, Store, TranscriptEntry } from '../../store';
import type { TurnApplier } from '../../turn/apply';
import { recordStaffMessage } from '../../turn/runner';
import type { OutboxSender } from '../../turn/sender';
import { ERASED_CHAT } from '../../storage/rows';

/** Whether a message to a client went out: sent now, waiting in the outbox (channel down), or given up. */
export type Delivery = 'sent' | 'queued' | 'failed';

/** A handoff as the inbox lists it. */
export interface InboxItem extends HandoffRecord {
  /** The client's number as staff can dial it. */
  readonly phone: string;
  readonly waitingMinutes: number;
  readonly consultation?: ConsultationView;
}

/** A consultation with its time as the firm reads it. */
export interface ConsultationView extends ConsultationRecord {
  /** "Tue, Dec 1, 10:20 AM" in the firm's time zone, or undefined for a preference. */
  readonly when?: string;
  /** Local date YYYY-MM-DD of the time (or of the request when there is no time). */
  readonly day: string;
  readonly phone: string;
}

/** Usage figures for the insights page. */
export interface Insights {
  readonly days: number;
  readonly perDay: { day: string; messages: number; fallback: number }[];
  readonly intents: { intent: string; count: number }[];
  readonly total: number;
  /** Share of classified client messages answered `none` (did-you-mean or out of scope). */
  readonly fallbackRate: number;
  readonly unrecognised: { text: string; lang: string | null; count: number }[];
}

/** An explainer that needs an attorney's attention. */
export interface ContentIssue {
  readonly intent: string;
  readonly lang: Lang;
  readonly problem: 'stale' | 'missing' | 'no-date';
  readonly reviewed?: string;
  readonly title?: string;
}

/** Thrown for a request that names something that does not exist or cannot change; `status` is the HTTP status. */
export class DeskError extends Error {
  constructor(readonly status: 400 | 404 | 409, message: string) {
    super(message);
  }
}

/** Explainers older than this need review (SPEC §8). */
export const STALE_DAYS = 180;
const DAY_MS = 86_400_000;

/** What the desk needs. */
export interface DeskDeps {
  readonly store: Store;
  readonly sender: Pick<OutboxSender, 'flush'>;
  readonly applier: Pick<TurnApplier, 'closeConsultationHandoff'>;
  readonly library: ExplainerLibrary;
  readonly timezone: string;
  readonly clock: Clock;
  readonly channel: () => ChannelStatus;
  readonly qr: () => string | undefined;
}

/** The staff desk. */
export class Desk {
  constructor(private readonly deps: DeskDeps) {}

  get timezone(): string {
    return this.deps.timezone;
  }

  channel(): ChannelStatus & { qr?: string } {
    const qr = this.deps.qr();
    return { ...this.deps.channel(), ...(qr ? { qr } : {}) };
  }

  /** Open handoffs: urgent first, then the longest waiting. */
  async inbox(): Promise<InboxItem[]> {
    return Promise.all((await this.deps.store.openHandoffs()).map((h) => this.item(h)));
  }

  /** One handoff with the client's transcript; throws 404 when unknown. */
  async handoff(id: number): Promise<InboxItem & { transcript: TranscriptEntry[] }> {
    const h = await this.deps.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff');
    return { ...(await this.item(h)), transcript: await this.deps.store.transcript(h.chat) };
  }

  async claim(id: number, staff: string): Promise<InboxItem> {
    const h = await this.openHandoff(id);
    const now = this.deps.clock.now().toISOString();
    const updated = await this.deps.store.withChat(h.chat, async (tx) => {
      const open = await tx.openHandoff();
      if (!open || open.id !== id) return undefined;
      return tx.updateHandoff(id, { claimedBy: staff.slice(0, 80), lastStaffAt: open.lastStaffAt ?? now });
    });
    if (!updated) throw await this.notOpen(id);
    return this.item(updated);
  }

  /** Sends a staff reply to the handoff's client through the channel; counts as staff activity (the bot stays quiet). */
  async reply(id: number, text: string): Promise<{ delivery: Delivery }> {
    const h = await this.deps.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff');
    if (h.chat === ERASED_CHAT) throw new DeskError(409, 'the client erased their data');
    return { delivery: await this.tell(h.chat, text, 'staff') };
  }

  /** Resolves a handoff: the bot answers that client again. */
  async resolve(id: number): Promise<InboxItem> {
    const h = await this.openHandoff(id);
    const now = this.deps.clock.now().toISOString();
    const updated = await this.deps.store.withChat(h.chat, async (tx) => {
      const open = await tx.openHandoff();
      if (!open || open.id !== id) return undefined;
      return tx.updateHandoff(id, { status: 'resolved', resolvedAt: now, resolution: 'staff' });
    });
    if (!updated) throw await this.notOpen(id);
    return this.item(updated);
  }

  /** Consultations whose day (firm time) is in [from, from + days). `from` is YYYY-MM-DD; default today. */
  async consultations(from?: string, days = 14): Promise<ConsultationView[]> {
    const start = from ? parseDay(from) : this.today();
    const to = addDays(start, days);
    const range = { from: zonedTimeToUtc(start.year, start.month, start.day, 0, 0, this.deps.timezone), to: zonedTimeToUtc(to.year, to.month, to.day, 0, 0, this.deps.timezone) };
    return (await this.deps.store.consultations(range)).map((c) => this.view(c));
  }

  async consultation(id: number): Promise<ConsultationView> {
    const c = await this.deps.store.consultation(id);
    if (!c) throw new DeskError(404, 'no such consultation');
    return this.view(c);
  }

  /** Confirms a requested consultation and tells the client (their language), with an optional note from staff. */
  async confirm(id: number, note?: string): Promise<ConsultationView & { delivery: Delivery }> {
    const c = await this.change(id, 'confirmed', note);
    const delivery = await this.tellClient(c, [STRINGS[c.lang].consultationConfirmed(this.whenFor(c), c.mode), note].filter(Boolean).join('\n\n'));
    return { ...c, delivery };
  }

  /** Cancels a consultation and tells the client why (the message is required). */
  async cancel(id: number, message: string): Promise<ConsultationView & { delivery: Delivery }> {
    const c = await this.change(id, 'cancelled', message);
    const delivery = await this.tellClient(c, `${STRINGS[c.lang].consultationCancelledByFirm(this.whenFor(c))}\n\n${message}`);
    return { ...c, delivery };
  }

  complete(id: number): Promise<ConsultationView> {
    return this.change(id, 'completed');
  }

  /** Messages per day, intents, fallback rate and the most frequent unrecognised messages over the last `days`. */
  async insights(days = 30): Promise<Insights> {
    const now = this.deps.clock.now();
    const from = new Date(now.getTime() - days * DAY_MS);
    const rows = await this.deps.store.inboundSince(from);
    const perDay = new Map<string, { messages: number; fallback: number }>();
    const intents = new Map<string, number>();
    let classified = 0;
    let fallback = 0;
    for (const row of rows) {
      const day = this.dayOf(new Date(row.at));
      const entry = perDay.get(day) ?? { messages: 0, fallback: 0 };
      entry.messages++;
      const intent = row.intent ?? 'unclassified';
      intents.set(intent, (intents.get(intent) ?? 0) + 1);
      if (row.intent && !row.intent.includes(':')) {
        classified++;
        if (row.intent === NONE) {
          fallback++;
          entry.fallback++;
        }
      }
      perDay.set(day, entry);
    }
    return {
      days,
      perDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
      // Topics only: form answers, commands and messages written while waiting for a person are not questions.
      intents: [...intents.entries()].filter(([intent]) => !intent.includes(':') && intent !== 'unclassified').sort((a, b) => b[1] - a[1]).map(([intent, count]) => ({ intent, count })),
      total: rows.length,
      fallbackRate: classified === 0 ? 0 : fallback / classified,
      unrecognised: await this.deps.store.unrecognised(from, 50),
    };
  }

  /** The unrecognised messages as YAML to paste into `intents/<id>.yml` after choosing the right intent. */
  async insightsYaml(days = 30): Promise<string> {
    const { unrecognised } = await this.insights(days);
    const byLang = { en: [] as string[], es: [] as string[] };
    for (const u of unrecognised) (u.lang === 'es' ? byLang.es : byLang.en).push(u.text);
    const header = [
      `# Messages Puente answered "none" in the last ${days} days, most frequent first.`,
      '# Move each one to the intents/<id>.yml file it belongs to (same language), or to none.yml if it is out of scope.',
      '# Delete anything with names, numbers or other personal details before committing.',
    ].join('\n');
    return `${header}\n${stringify({ examples: byLang }, { lineWidth: 0 })}`;
  }

  /** Explainers whose `reviewed` date is older than 180 days, missing, or missing in one language. */
  content(): ContentIssue[] {
    const { library, clock } = this.deps;
    const cutoff = new Date(clock.now().getTime() - STALE_DAYS * DAY_MS).toISOString().slice(0, 10);
    const issues: ContentIssue[] = [];
    for (const e of library.all().sort((a, b) => a.intent.localeCompare(b.intent) || a.lang.localeCompare(b.lang))) {
      if (!e.reviewed) issues.push({ intent: e.intent, lang: e.lang, problem: 'no-date', title: e.title });
      else if (e.reviewed < cutoff) issues.push({ intent: e.intent, lang: e.lang, problem: 'stale', reviewed: e.reviewed, title: e.title });
    }
    for (const m of library.missingTranslations()) issues.push({ intent: m.intent, lang: m.missing, problem: 'missing' });
    return issues;
  }

  /** Today's date in the firm's time zone. */
  today(): { year: number; month: number; day: number } {
    return zonedParts(this.deps.clock.now(), this.deps.timezone);
  }

  /** A status change by staff, if the rules allow it; the consultation's handoff closes with it (the bot answers again). */
  private async change(id: number, status: ConsultationStatus, note?: string): Promise<ConsultationView> {
    const existing = await this.deps.store.consultation(id);
    if (!existing) throw new DeskError(404, 'no such consultation');
    if (!canBecome(existing.status, status)) throw new DeskError(409, `a ${existing.status} consultation cannot become ${status}`);
    const at = this.deps.clock.now();
    const changed = await this.deps.store.withChat(existing.chat, async (tx) => {
      const updated = await tx.updateConsultation(id, existing.status, { status, note, at: at.toISOString() });
      if (updated && status !== 'completed') await this.deps.applier.closeConsultationHandoff(tx, id, at);
      return updated;
    });
    if (!changed) throw new DeskError(409, 'the consultation changed meanwhile; reload and try again');
    return this.view(changed);
  }

  /** Tells a consultation's client (nothing when they erased their data). */
  private async tellClient(c: ConsultationView, text: string): Promise<Delivery> {
    if (c.chat === ERASED_CHAT) return 'failed';
    return this.tell(c.chat, text, 'firm');
  }

  /**
   * Sends a message to a client from the firm, in the chat's order: `staff` (a reply typed in the dashboard, recorded as
   * staff activity, so the bot pauses there) or `firm` (a confirmation written by Puente on staff's behalf). It is
   * queued first, so a channel that is down sends it later; says whether it went out now.
   */
  private async tell(chat: string, text: string, as: 'staff' | 'firm'): Promise<Delivery> {
    const now = this.deps.clock.now();
    const [entry] = await this.deps.store.withChat(chat, async (tx) => {
      if (as === 'staff') await recordStaffMessage(tx, text, now);
      else {
        await tx.touchContact(now);
        await tx.addMessages([{ direction: 'out', author: 'bot', type: 'text', text, at: now.toISOString() }]);
      }
      return tx.enqueue([text], now);
    });
    await this.deps.sender.flush(chat);
    const state = await this.deps.store.outboxState(entry.id);
    return state === 'failed' ? 'failed' : state ? 'sent' : 'queued';
  }

  /** The consultation's time in the client's language (or their stated preference). */
  private whenFor(c: ConsultationView): string {
    return c.slot ? formatInterval(c.slot, this.deps.timezone, c.lang) : (c.preference ?? '');
  }

  private async openHandoff(id: number): Promise<HandoffRecord> {
    const h = await this.deps.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff');
    if (h.status !== 'open') throw new DeskError(409, 'the handoff is already resolved');
    return h;
  }

  private async notOpen(id: number): Promise<DeskError> {
    return (await this.deps.store.handoff(id)) ? new DeskError(409, 'the handoff is already resolved') : new DeskError(404, 'no such handoff');
  }

  private async item(h: HandoffRecord): Promise<InboxItem> {
    const c = h.consultationId !== undefined ? await this.deps.store.consultation(h.consultationId) : undefined;
    const end = h.resolvedAt ? Date.parse(h.resolvedAt) : this.deps.clock.now().getTime();
    return {
      ...h,
      phone: displayChat(h.chat),
      waitingMinutes: Math.max(0, Math.round((end - Date.parse(h.createdAt)) / 60_000)),
      ...(c ? { consultation: this.view(c) } : {}),
    };
  }

  private view(c: ConsultationRecord): ConsultationView {
    const tz = this.deps.timezone;
    const when = c.slot ? formatInterval(c.slot, tz, 'en') : undefined;
    return { ...c, when, day: this.dayOf(new Date(c.slot?.start ?? c.createdAt)), phone: displayChat(c.chat) };
  }

  private dayOf(at: Date): string {
    const p = zonedParts(at, this.deps.timezone);
    return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  }
}

/** "2026-12-01" → its parts; throws 400 for anything else. */
export function parseDay(text: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
  if (!parts || parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > 31) throw new DeskError(400, 'dates are written YYYY-MM-DD');
  return parts;
}
