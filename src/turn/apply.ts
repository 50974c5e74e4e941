/**
 * Carrying out a decided turn inside its transaction: contact, state, transcript, outbox, and what the effects change
 * (handoffs, consultations, staff notifications, erasure, scheduled work). The rules come from the domain
 * (`handoff/lifecycle`, `booking/status`, `privacy/erasure`); the {@link ChatTx} only stores.
 */
import { canBecome, isActive } from '../booking/status';
import { addedDetails, mergeDetails } from '../dialogue/case-details';
import type { CaseDetails, ConversationState, Effect, InboundMessage, TurnAnalysis } from '../dialogue/types';
import { nextHandoff } from '../handoff/lifecycle';
import { erasurePlan, ERASURE_NOTE } from '../privacy/erasure';
import {
  keepMessageMedia,
  type ChatTx, type ConsultationRecord, type HandoffRecord, type NewMessage, type NotificationPlanner, type OutboxEntry, type StaffEvent,
} from '../store';

/** Everything one turn changes, committed together or not at all. */
export interface TurnRecord {
  /** The client's message; absent for scheduled work (answering messages held by the flood limit). */
  readonly message?: InboundMessage;
  readonly state: ConversationState;
  readonly analysis: TurnAnalysis | null;
  readonly replies: readonly string[];
  readonly effects: readonly Effect[];
  readonly at: Date;
}

/** The subject that ties together every notification about one consultation. */
export const consultationSubject = (id: number) => `consultation:${id}`;

/** Applies turns and staff events through a chat's transaction. */
export class TurnApplier {
  /** `planner` turns staff events into notifications; without one, events are recorded without notifications. */
  constructor(private readonly planner?: NotificationPlanner) {}

  /**
   * Writes the turn; returns the replies queued for sending, claimed for `lease.owner` when given (the caller sends
   * them right after the commit). Throws SlotTakenError (the caller decides again).
   */
  async apply(tx: ChatTx, turn: TurnRecord, lease?: { owner: string; until: Date }): Promise<OutboxEntry[]> {
    const { message, state, analysis, at } = turn;
    const iso = at.toISOString();
    if (turn.effects.some((e) => e.type === 'contact.erased')) {
      // Nothing of this conversation is kept, not even the "yes" that confirmed it. Only the reply is queued.
      await this.erase(tx, at);
      return tx.enqueue(turn.replies, at, { forget: true });
    }
    const messages: NewMessage[] = [];
    if (message) {
      messages.push({
        direction: 'in', author: 'client', messageId: message.id, type: message.type, text: message.text ?? '',
        intent: analysis?.intent ?? null, confidence: analysis?.confidence ?? null, lang: analysis?.lang ?? null, at: iso,
        mediaId: await keepMessageMedia(tx, message, at),
      });
    }
    for (const text of turn.replies) messages.push({ direction: 'out', author: 'bot', type: 'text', text, lang: state.lang, at: iso });
    const outbox = await tx.writeTurn({
      at, contact: { name: message?.name, lang: state.lang, inbound: message !== undefined }, state, messages, replies: turn.replies, lease,
    });
    for (const effect of turn.effects) {
      await tx.recordEffect(effect, at);
      await this.effect(tx, effect, at, message?.name);
    }
    return outbox;
  }

  /** Tells staff about an event, in the same transaction. `anonymous` notifications are not linked to the chat. */
  async notify(tx: ChatTx, event: StaffEvent, at: Date, anonymous = false): Promise<void> {
    if (!this.planner) return;
    const plan = this.planner(event, at);
    const handoffId = event.type === 'handoff' || event.type === 'handoff.details' ? event.handoff.id : undefined;
    const recipients: (string | undefined)[] = plan.recipients.length > 0 ? [...plan.recipients] : [undefined];
    await tx.addNotifications(recipients.map((recipient) => ({
      chat: anonymous ? undefined : tx.chat, handoffId, event: event.type, subject: plan.subject, priority: plan.priority, recipient, text: plan.text,
      at: at.toISOString(), notBefore: plan.notBefore.toISOString(),
    })));
  }

  private async effect(tx: ChatTx, effect: Effect, at: Date, displayName: string | undefined): Promise<void> {
    const iso = at.toISOString();
    switch (effect.type) {
      case 'handoff.requested':
        await this.request(tx, { kind: effect.kind, lang: effect.lang, summary: effect.summary, name: effect.name ?? displayName, details: effect.details }, at);
        return;
      case 'handoff.details':
        await this.details(tx, effect.details, effect.note, at);
        return;
      case 'handoff.withdrawn': {
        const open = await tx.openHandoff();
        if (open) await tx.updateHandoff(open.id, { status: 'resolved', resolvedAt: iso, resolution: 'client-withdrew' });
        return;
      }
      case 'consultation.requested': {
        const consultation = await tx.insertConsultation({
          mode: effect.mode, name: effect.name, topic: effect.topic, lang: effect.lang, slot: effect.slot, preference: effect.preference, at: iso,
        });
        await this.request(tx, { kind: 'consultation', lang: effect.lang, summary: effect.topic, name: effect.name, consultation }, at);
        return;
      }
      case 'consultation.cancelled':
        await this.clientCancels(tx, effect.id, at);
        return;
      case 'consultation.moved':
        await this.clientMoves(tx, effect.id, effect.slot, effect.preference, at);
        return;
      case 'release.scheduled':
        await tx.schedule({ kind: 'release', chat: tx.chat }, new Date(effect.at));
        return;
      case 'contact.erased':
        return; // handled before anything of the turn is written
    }
  }

  /** A request for a person, decided by the handoff lifecycle. */
  private async request(
    tx: ChatTx,
    r: { kind: HandoffRecord['kind']; lang: HandoffRecord['lang']; summary: string; name?: string; details?: CaseDetails; consultation?: ConsultationRecord },
    at: Date,
  ): Promise<void> {
    const iso = at.toISOString();
    const open = await tx.openHandoff();
    const decision = nextHandoff(open?.kind, r.kind);
    let handoff: HandoffRecord;
    switch (decision.action) {
      case 'open':
        handoff = await tx.insertHandoff({ kind: r.kind, lang: r.lang, name: r.name, summary: r.summary, details: r.details, consultationId: r.consultation?.id, at: iso });
        break;
      case 'escalate':
        handoff = await tx.updateHandoff(open!.id, {
          kind: r.kind, lang: r.lang, summary: r.summary, activityAt: iso, name: open!.name ?? r.name,
          details: mergeDetails(open!.details, r.details), consultationId: r.consultation?.id,
        });
        break;
      case 'renew': {
        // A new emergency in an open case ("ICE is at the door now" after "they took my husband this morning") is a new
        // event: its time and place do not replace the detention's; it only fills what the case does not have yet.
        const details = decision.again ? mergeDetails(r.details, open!.details) : mergeDetails(open!.details, r.details);
        handoff = await tx.updateHandoff(open!.id, { activityAt: iso, name: open!.name ?? r.name, details, consultationId: r.consultation?.id });
        break;
      }
    }
    if (!decision.notify) return;
    // A request of another kind on an open handoff is still news of that kind (a consultation, a question); an
    // emergency reported again is quoted as reported now.
    const shown: HandoffRecord =
      decision.action === 'renew' ? (decision.again ? { ...handoff, summary: r.summary } : { ...handoff, kind: r.kind, summary: r.summary }) : handoff;
    await this.notify(tx, { type: 'handoff', handoff: shown, escalated: decision.action === 'escalate', again: decision.action === 'renew' && decision.again, consultation: r.consultation }, at);
  }

  /** New facts on the open case; staff hear about them at once when the case is an emergency. */
  private async details(tx: ChatTx, details: CaseDetails | undefined, note: string | undefined, at: Date): Promise<void> {
    const open = await tx.openHandoff();
    if (!open) return;
    const added = addedDetails(open.details, details);
    const updated = Object.keys(added).length > 0 ? await tx.updateHandoff(open.id, { details: mergeDetails(open.details, details) }) : open;
    if (open.kind === 'urgent' && (Object.keys(added).length > 0 || note)) {
      await this.notify(tx, { type: 'handoff.details', handoff: updated, added, note }, at);
    }
  }

  private async clientCancels(tx: ChatTx, id: number, at: Date): Promise<void> {
    const current = await tx.consultation(id);
    if (!current || current.chat !== tx.chat || !canBecome(current.status, 'cancelled')) return;
    const cancelled = await tx.updateConsultation(id, current.status, { status: 'cancelled', note: 'cancelled by the client', at: at.toISOString() });
    if (!cancelled) return;
    await this.closeConsultationHandoff(tx, id, at);
    // Staff who never heard of the request (its notification still waiting) need not hear of its cancellation.
    const unheard = await tx.dropPendingNotifications(consultationSubject(id));
    if (unheard === 0) await this.notify(tx, { type: 'consultation.cancelled', consultation: cancelled, byErasure: false }, at);
  }

  private async clientMoves(tx: ChatTx, id: number, slot: ConsultationRecord['slot'], preference: string | undefined, at: Date): Promise<void> {
    const current = await tx.consultation(id);
    if (!current || current.chat !== tx.chat || !isActive(current.status)) return;
    if (current.status === 'confirmed' && !canBecome('confirmed', 'requested')) return;
    const moved = await tx.updateConsultation(id, current.status, {
      status: 'requested', slot: slot ?? null, preference: slot ? null : (preference ?? null), at: at.toISOString(),
    });
    if (!moved) return;
    const unheard = await tx.dropPendingNotifications(consultationSubject(id));
    const open = await tx.openHandoff();
    if (unheard > 0 && open) {
      // Staff have not been told of the request yet: one notification, with the new time.
      await this.notify(tx, { type: 'handoff', handoff: { ...open, kind: 'consultation', summary: moved.topic ?? open.summary }, escalated: false, consultation: moved }, at);
      return;
    }
    await this.notify(tx, { type: 'consultation.moved', consultation: moved }, at);
  }

  /** A consultation that is no longer pending closes the handoff that asked staff to confirm it. */
  async closeConsultationHandoff(tx: ChatTx, consultationId: number, at: Date): Promise<void> {
    const open = await tx.openHandoff();
    if (open && open.kind === 'consultation' && open.consultationId === consultationId) {
      await tx.updateHandoff(open.id, { status: 'resolved', resolvedAt: at.toISOString(), resolution: 'consultation-closed' });
    }
  }

  private async erase(tx: ChatTx, at: Date): Promise<void> {
    const plan = erasurePlan(await tx.upcoming(at));
    const cancelled: ConsultationRecord[] = [];
    for (const c of plan.cancel) {
      const done = await tx.updateConsultation(c.id, c.status, { status: 'cancelled', note: ERASURE_NOTE, at: at.toISOString() });
      if (done) cancelled.push(done);
    }
    await tx.erase(plan.scope);
    // Told after the erasure, unlinked from the chat and without its details: only that a booked time is free again.
    for (const c of cancelled) {
      await this.notify(tx, { type: 'consultation.cancelled', consultation: { ...c, chat: '', name: undefined, topic: undefined, preference: undefined }, byErasure: true }, at, true);
    }
  }
}
