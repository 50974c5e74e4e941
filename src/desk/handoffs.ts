/**
 * The inbox: open handoffs (urgent first, then the longest waiting) with a summary that is never blank or filler,
 * one case with its conversation, notes and audit list, and what staff do with it — claim, reply (which claims it),
 * add a note, resolve. Each action is one transaction with its audit entry.
 */
import { isActive } from '../booking/status';
import { isRealQuestion } from '../dialogue/signals';
import { detailsLine, displayChat } from '../handoff/notify';
import type { AuditEntry, HandoffRecord, NoteRecord, TranscriptEntry } from '../store';
import { ERASED_CHAT } from '../storage/rows';
import type { Actor, ConsultationView, Delivery, DeskContext } from './context';
import { DeskError } from './errors';

/** A handoff as the inbox lists it. */
export interface InboxItem extends HandoffRecord {
  /** The client's number as staff can dial it. */
  readonly phone: string;
  /** From the request until staff first replied (or it was resolved, or now). */
  readonly waitingMinutes: number;
  /** True once staff replied: the waiting time no longer counts. */
  readonly answered: boolean;
  /** What the case is about in one line, never blank nor filler ("idk"). */
  readonly headline: string;
  /** The detained person's details, for an emergency ("Name: … · Born: … · Where: …"). */
  readonly detailsLine?: string;
  /** The client's latest messages with words, newest last (at most 3). */
  readonly latest: readonly string[];
  readonly consultation?: ConsultationView;
}

/** One case with everything staff read before answering. */
export interface CaseView extends InboxItem {
  readonly transcript: TranscriptEntry[];
  readonly notes: NoteRecord[];
  readonly audit: AuditEntry[];
}

const FALLBACK: Readonly<Record<HandoffRecord['kind'], string>> = {
  urgent: 'Emergency reported: read the conversation below',
  human: 'Asked to talk to a person (no question written yet)',
  consultation: 'Consultation request',
  advice: 'Question for the team',
};

/** Summaries Puente writes itself that say something ("Staff took over…", "Asks for news…"). */
const DESCRIPTIVE = /^(Staff took over|Asks for news|Asked for a person from the menu)/;

/**
 * The headline of a case: its summary when it says something, else the client's latest real question, else what kind
 * it is. A consultation case shows its consultation's `topic` (when there is one) unless the summary is a real question.
 */
export function headline(h: HandoffRecord, latest: readonly string[], topic?: string): string {
  if (h.kind === 'consultation' && topic && !isRealQuestion(h.summary)) return topic;
  const summary = h.summary.trim();
  if (summary && (isRealQuestion(summary) || DESCRIPTIVE.test(summary))) return summary;
  const question = [...latest].reverse().find((t) => isRealQuestion(t));
  if (question) return question;
  return FALLBACK[h.kind];
}

export class Handoffs {
  constructor(private readonly ctx: DeskContext) {}

  /** Open handoffs: urgent first, then the longest waiting. A consultation request that is no longer pending is not listed. */
  async inbox(): Promise<InboxItem[]> {
    const items = await Promise.all((await this.ctx.store.openHandoffs()).map((h) => this.item(h)));
    return items.filter((i) => !(i.kind === 'consultation' && i.consultation && !isActive(i.consultation.status)));
  }

  /** One case with its conversation, notes and audit list; 404 when unknown. */
  async get(id: number): Promise<CaseView> {
    const h = await this.ctx.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff', 'no-handoff');
    const [item, transcript, notes, audit] = await Promise.all([
      this.item(h), this.ctx.store.transcript(h.chat), this.ctx.store.notesOf(h.chat), this.ctx.store.audit({ chat: h.chat, limit: 100 }),
    ]);
    return { ...item, transcript, notes, audit };
  }

  /** Claims an open case for the actor (colleagues see the name in the inbox). */
  async claim(id: number, actor: Actor): Promise<InboxItem> {
    const h = await this.open(id);
    const now = this.ctx.now().toISOString();
    const updated = await this.ctx.store.withChat(h.chat, async (tx) => {
      const open = await tx.openHandoff();
      if (!open || open.id !== id) return undefined;
      const claimed = await tx.updateHandoff(id, { claimedBy: actor.name, lastStaffAt: open.lastStaffAt ?? now });
      await tx.addAudit({ actor: actor.name, action: 'handoff.claim', handoffId: id, at: now });
      return claimed;
    });
    if (!updated) throw await this.notOpen(id);
    return this.item(updated);
  }

  /**
   * Sends a reply to the case's client through the channel. It counts as staff activity (the bot stays quiet), stops
   * the waiting time, and claims the case for the actor when nobody has.
   */
  async reply(id: number, text: string, actor: Actor): Promise<{ delivery: Delivery }> {
    const h = await this.ctx.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff', 'no-handoff');
    const delivery = await this.ctx.tell(h.chat, text, { kind: 'staff', actor }, (tx) =>
      tx.addAudit({ actor: actor.name, action: 'handoff.reply', handoffId: id, at: this.ctx.now().toISOString() }));
    return { delivery };
  }

  /** Adds an internal note to the case (never sent to the client). */
  async note(id: number, text: string, actor: Actor): Promise<NoteRecord> {
    const h = await this.ctx.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff', 'no-handoff');
    if (h.chat === ERASED_CHAT) throw new DeskError(409, 'the client erased their data', 'erased');
    const at = this.ctx.now().toISOString();
    return this.ctx.store.withChat(h.chat, async (tx) => {
      const note = await tx.addNote({ handoffId: id, author: actor.name, text, at });
      await tx.addAudit({ actor: actor.name, action: 'note.add', handoffId: id, at });
      return note;
    });
  }

  /** Resolves a case: the bot answers that client again. */
  async resolve(id: number, actor: Actor): Promise<InboxItem> {
    const h = await this.open(id);
    const now = this.ctx.now().toISOString();
    const updated = await this.ctx.store.withChat(h.chat, async (tx) => {
      const open = await tx.openHandoff();
      if (!open || open.id !== id) return undefined;
      const resolved = await tx.updateHandoff(id, { status: 'resolved', resolvedAt: now, resolution: 'staff' });
      await tx.addAudit({ actor: actor.name, action: 'handoff.resolve', handoffId: id, at: now });
      return resolved;
    });
    if (!updated) throw await this.notOpen(id);
    return this.item(updated);
  }

  private async open(id: number): Promise<HandoffRecord> {
    const h = await this.ctx.store.handoff(id);
    if (!h) throw new DeskError(404, 'no such handoff', 'no-handoff');
    if (h.status !== 'open') throw new DeskError(409, 'the handoff is already resolved', 'not-open');
    return h;
  }

  private async notOpen(id: number): Promise<DeskError> {
    return (await this.ctx.store.handoff(id)) ? new DeskError(409, 'the handoff is already resolved', 'not-open') : new DeskError(404, 'no such handoff', 'no-handoff');
  }

  /** The inbox view of a handoff. */
  async item(h: HandoffRecord): Promise<InboxItem> {
    const [c, recent] = await Promise.all([
      h.consultationId !== undefined ? this.ctx.store.consultation(h.consultationId) : undefined,
      this.ctx.store.lastClientMessages(h.chat, 5),
    ]);
    // Form answers and fillers ("yes", "2", "ok") say nothing; in an emergency every sentence may be a detail.
    const latest = recent.map((m) => m.text.trim()).filter((t) => isRealQuestion(t) || (h.kind === 'urgent' && t.split(/\s+/).length >= 3)).slice(0, 3).reverse();
    const stop = h.repliedAt ?? h.resolvedAt;
    const end = stop ? Date.parse(stop) : this.ctx.now().getTime();
    const details = detailsLine(h.details);
    return {
      ...h,
      phone: displayChat(h.chat),
      waitingMinutes: Math.max(0, Math.round((end - Date.parse(h.createdAt)) / 60_000)),
      answered: h.repliedAt !== undefined,
      headline: headline(h, latest, c?.topic),
      ...(details ? { detailsLine: details } : {}),
      latest,
      ...(c ? { consultation: this.ctx.view(c) } : {}),
    };
  }
}
