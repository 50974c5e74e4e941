/**
 * {@link Store} on SQLite. Statements are prepared once; a turn is one `BEGIN IMMEDIATE` transaction, so two processes
 * sharing the file serialise their writes and a consultation time is checked and taken atomically.
 */
import type { ConversationState, Effect, HandoffKind, Interval, TurnContext, UpcomingConsultation } from '../dialogue/types';
import type { Lang } from '../nlu/types';
import type { Db } from './sqlite';
import {
  HANDOFF_PRIORITY, SlotTakenError,
  type ConsultationRecord, type ConsultationStatus, type EffectRecord, type HandoffRecord, type HandoffResolution,
  type NotificationPlanner, type NotificationRecord, type OutboxEntry, type PurgeCounts, type StaffEvent, type Store,
  type TranscriptEntry, type TurnRecord,
} from './types';

interface HandoffRow {
  id: number; chat: string; kind: HandoffKind; priority: number; status: 'open' | 'resolved'; lang: Lang; name: string | null;
  summary: string; consultation_id: number | null; claimed_by: string | null; created_at: string; activity_at: string;
  last_staff_at: string | null; resolved_at: string | null; resolution: HandoffResolution | null;
}
interface ConsultationRow {
  id: number; chat: string; status: ConsultationStatus; mode: 'phone' | 'office'; name: string | null; topic: string | null;
  lang: Lang; start_at: string | null; end_at: string | null; preference: string | null; note: string | null;
  created_at: string; updated_at: string;
}
interface NotificationRow {
  id: number; handoff_id: number | null; event: string; priority: number; recipient: string | null; text: string;
  created_at: string; not_before: string; next_attempt_at: string; attempts: number; last_error: string | null;
  sent_at: string | null; given_up_at: string | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toHandoff(r: HandoffRow): HandoffRecord {
  return {
    id: r.id, chat: r.chat, kind: r.kind, priority: r.priority, status: r.status, lang: r.lang, name: opt(r.name),
    summary: r.summary, consultationId: opt(r.consultation_id), claimedBy: opt(r.claimed_by), createdAt: r.created_at,
    activityAt: r.activity_at, lastStaffAt: opt(r.last_staff_at), resolvedAt: opt(r.resolved_at), resolution: opt(r.resolution),
  };
}

function toConsultation(r: ConsultationRow): ConsultationRecord {
  return {
    id: r.id, chat: r.chat, status: r.status, mode: r.mode, name: opt(r.name), topic: opt(r.topic), lang: r.lang,
    slot: r.start_at && r.end_at ? { start: r.start_at, end: r.end_at } : undefined, preference: opt(r.preference),
    note: opt(r.note), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function toNotification(r: NotificationRow): NotificationRecord {
  return {
    id: r.id, handoffId: opt(r.handoff_id), event: r.event, priority: r.priority, recipient: opt(r.recipient), text: r.text,
    createdAt: r.created_at, notBefore: r.not_before, nextAttemptAt: r.next_attempt_at, attempts: r.attempts,
    lastError: opt(r.last_error), sentAt: opt(r.sent_at), givenUpAt: opt(r.given_up_at),
  };
}

/** Which status changes staff (or the client) may make. */
const ALLOWED: Readonly<Record<ConsultationStatus, readonly ConsultationStatus[]>> = {
  requested: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'completed', 'requested'],
  cancelled: [],
  completed: [],
};

/** Send attempts of one reply before it is no longer retried. */
export const MAX_SEND_ATTEMPTS = 10;

/** Written in place of a chat id that was erased. */
const ERASED = 'erased';

/** All of Puente's state in one SQLite database. */
export class SqliteStore implements Store {
  private readonly q;
  private readonly commit: (turn: TurnRecord) => OutboxEntry[] | 'duplicate';
  private readonly staffMessage: (chat: string, text: string, at: Date, resume: boolean, state?: ConversationState) => { handoffId?: number; resumed: boolean };

  /** `planner` turns staff events into notifications; without one, events are recorded without notifications. */
  constructor(private readonly db: Db, private readonly planner?: NotificationPlanner) {
    this.q = {
      processed: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM processed_messages WHERE message_id = ?'),
      claim: db.prepare('INSERT OR IGNORE INTO processed_messages (message_id, chat, processed_at) VALUES (?, ?, ?)'),
      state: db.prepare<[string], { state: string }>('SELECT state FROM conversations WHERE chat = ?'),
      contact: db.prepare(
        `INSERT INTO contacts (chat, name, lang, created_at, last_seen_at) VALUES (@chat, @name, @lang, @at, @at)
         ON CONFLICT (chat) DO UPDATE SET name = COALESCE(@name, name), lang = @lang, last_seen_at = @at`,
      ),
      touchContact: db.prepare(
        `INSERT INTO contacts (chat, name, lang, created_at, last_seen_at) VALUES (?, NULL, 'en', ?, ?) ON CONFLICT (chat) DO NOTHING`,
      ),
      saveState: db.prepare(
        `INSERT INTO conversations (chat, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (chat) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      ),
      message: db.prepare(
        `INSERT INTO messages (chat, direction, author, message_id, type, text, intent, confidence, lang, created_at)
         VALUES (@chat, @direction, @author, @messageId, @type, @text, @intent, @confidence, @lang, @at)`,
      ),
      outbox: db.prepare('INSERT INTO outbox (chat, text, created_at) VALUES (?, ?, ?)'),
      effect: db.prepare('INSERT INTO effects (chat, type, payload, created_at) VALUES (?, ?, ?, ?)'),
      sent: db.prepare('UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?'),
      failed: db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?'),
      // A reply that failed this many times (a number that cannot receive, say) stops being retried; it stays recorded.
      unsent: db.prepare<[number], OutboxEntry>(`SELECT id, chat, text FROM outbox WHERE sent_at IS NULL AND attempts < ${MAX_SEND_ATTEMPTS} ORDER BY id LIMIT ?`),
      transcript: db.prepare<[string], TranscriptEntry>(
        'SELECT direction, author, text, intent, created_at AS at FROM messages WHERE chat = ? ORDER BY id',
      ),
      effects: db.prepare<[], { id: number; chat: string; payload: string; at: string }>(
        'SELECT id, chat, payload, created_at AS at FROM effects ORDER BY id',
      ),
      openHandoffOf: db.prepare<[string], HandoffRow>(`SELECT * FROM handoffs WHERE chat = ? AND status = 'open'`),
      handoff: db.prepare<[number], HandoffRow>('SELECT * FROM handoffs WHERE id = ?'),
      handoffsOf: db.prepare<[string], HandoffRow>('SELECT * FROM handoffs WHERE chat = ? ORDER BY id DESC'),
      openHandoffs: db.prepare<[], HandoffRow>(`SELECT * FROM handoffs WHERE status = 'open' ORDER BY priority, created_at, id`),
      insertHandoff: db.prepare(
        `INSERT INTO handoffs (chat, kind, priority, lang, name, summary, consultation_id, created_at, activity_at, last_staff_at)
         VALUES (@chat, @kind, @priority, @lang, @name, @summary, @consultationId, @at, @at, @lastStaffAt)`,
      ),
      escalateHandoff: db.prepare(
        'UPDATE handoffs SET kind = @kind, priority = @priority, summary = @summary, lang = @lang, activity_at = @at WHERE id = @id',
      ),
      touchHandoff: db.prepare(
        `UPDATE handoffs SET activity_at = @at, consultation_id = COALESCE(@consultationId, consultation_id),
         name = COALESCE(name, @name) WHERE id = @id`,
      ),
      staffActivity: db.prepare('UPDATE handoffs SET activity_at = @at, last_staff_at = @at WHERE id = @id'),
      resolveHandoff: db.prepare(
        `UPDATE handoffs SET status = 'resolved', resolved_at = @at, resolution = @resolution WHERE id = @id AND status = 'open'`,
      ),
      upcomingOf: db.prepare<[string, string], ConsultationRow>(
        `SELECT * FROM consultations WHERE chat = ? AND status IN ('requested', 'confirmed') AND (end_at IS NULL OR end_at > ?)
         ORDER BY start_at IS NULL, start_at, id`,
      ),
      busy: db.prepare<[string], { start: string; end: string }>(
        `SELECT start_at AS start, end_at AS end FROM consultations
         WHERE status IN ('requested', 'confirmed') AND start_at IS NOT NULL AND end_at > ? ORDER BY start_at`,
      ),
      overlapping: db.prepare<[string, string, number], { id: number }>(
        `SELECT id FROM consultations WHERE status IN ('requested', 'confirmed') AND start_at IS NOT NULL
         AND start_at < ? AND end_at > ? AND id != ? LIMIT 1`,
      ),
      insertConsultation: db.prepare(
        `INSERT INTO consultations (chat, status, mode, name, topic, lang, start_at, end_at, preference, created_at, updated_at)
         VALUES (@chat, 'requested', @mode, @name, @topic, @lang, @start, @end, @preference, @at, @at)`,
      ),
      consultation: db.prepare<[number], ConsultationRow>('SELECT * FROM consultations WHERE id = ?'),
      consultationsAll: db.prepare<[string, string], ConsultationRow>(
        `SELECT * FROM consultations WHERE COALESCE(start_at, created_at) >= ? AND COALESCE(start_at, created_at) < ?
         ORDER BY COALESCE(start_at, created_at), id`,
      ),
      setConsultationStatus: db.prepare(
        'UPDATE consultations SET status = @status, note = COALESCE(@note, note), updated_at = @at WHERE id = @id',
      ),
      moveConsultation: db.prepare(
        `UPDATE consultations SET start_at = @start, end_at = @end, preference = @preference, status = 'requested',
         updated_at = @at WHERE id = @id`,
      ),
      insertNotification: db.prepare(
        `INSERT INTO notifications (handoff_id, event, priority, recipient, text, created_at, not_before, next_attempt_at)
         VALUES (@handoffId, @event, @priority, @recipient, @text, @at, @notBefore, @notBefore)`,
      ),
      dueNotifications: db.prepare<[string, number], NotificationRow>(
        `SELECT * FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL
         AND next_attempt_at <= ? ORDER BY priority, id LIMIT ?`,
      ),
      nextNotification: db.prepare<[], { at: string | null }>(
        `SELECT MIN(next_attempt_at) AS at FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL`,
      ),
      notificationSent: db.prepare('UPDATE notifications SET sent_at = ?, attempts = attempts + 1 WHERE id = ?'),
      notificationFailed: db.prepare(
        `UPDATE notifications SET attempts = attempts + 1, last_error = @error, next_attempt_at = COALESCE(@retryAt, next_attempt_at),
         given_up_at = CASE WHEN @retryAt IS NULL THEN @at ELSE NULL END WHERE id = @id`,
      ),
      notifications: db.prepare<[number], NotificationRow>('SELECT * FROM notifications ORDER BY id DESC LIMIT ?'),
    };
    this.commit = db.transaction((turn: TurnRecord) => this.write(turn));
    this.staffMessage = db.transaction((chat: string, text: string, at: Date, resume: boolean, state?: ConversationState) => {
      const result = this.writeStaffMessage(chat, text, at, resume);
      if (state && this.q.state.get(chat)) this.q.saveState.run(chat, JSON.stringify(state), at.toISOString());
      return result;
    });
  }

  isProcessed(messageId: string): boolean {
    return this.q.processed.get(messageId) !== undefined;
  }

  loadState(chat: string): ConversationState | undefined {
    const row = this.q.state.get(chat);
    return row ? (JSON.parse(row.state) as ConversationState) : undefined;
  }

  loadContext(chat: string, now: Date): TurnContext {
    const iso = now.toISOString();
    const open = this.q.openHandoffOf.get(chat);
    const consultations: UpcomingConsultation[] = this.q.upcomingOf.all(chat, iso).map((r) => ({
      id: r.id, status: r.status as 'requested' | 'confirmed', mode: r.mode,
      slot: r.start_at && r.end_at ? { start: r.start_at, end: r.end_at } : undefined, preference: opt(r.preference),
    }));
    return {
      handoff: open
        ? { id: open.id, kind: open.kind, createdAt: open.created_at, activityAt: open.activity_at, lastStaffAt: opt(open.last_staff_at) }
        : undefined,
      consultations,
      busy: this.q.busy.all(iso),
    };
  }

  commitTurn(turn: TurnRecord): OutboxEntry[] | 'duplicate' {
    return (this.commit as unknown as { immediate(t: TurnRecord): OutboxEntry[] | 'duplicate' }).immediate(turn);
  }

  private write(turn: TurnRecord): OutboxEntry[] | 'duplicate' {
    const { message, state, analysis, at } = turn;
    const iso = at.toISOString();
    if (this.q.claim.run(message.id, message.chat, iso).changes === 0) return 'duplicate';
    const erase = turn.effects.some((e) => e.type === 'contact.erased');
    if (erase) {
      // Nothing of this conversation is kept: not even the "yes" that confirmed it. Only the reply is queued.
      this.erase(message.chat, at);
      return turn.replies.map((text) => ({ id: Number(this.q.outbox.run(message.chat, text, iso).lastInsertRowid), chat: message.chat, text }));
    }
    this.q.contact.run({ chat: message.chat, name: message.name ?? null, lang: state.lang, at: iso });
    this.q.saveState.run(message.chat, JSON.stringify(state), iso);
    this.q.message.run({
      chat: message.chat, direction: 'in', author: 'client', messageId: message.id, type: message.type, text: message.text ?? '',
      intent: analysis?.intent ?? null, confidence: analysis?.confidence ?? null, lang: analysis?.lang ?? null, at: iso,
    });
    const outbox: OutboxEntry[] = [];
    for (const text of turn.replies) {
      this.q.message.run({ chat: message.chat, direction: 'out', author: 'bot', messageId: null, type: 'text', text, intent: null, confidence: null, lang: state.lang, at: iso });
      const id = Number(this.q.outbox.run(message.chat, text, iso).lastInsertRowid);
      outbox.push({ id, chat: message.chat, text });
    }
    for (const effect of turn.effects) {
      this.q.effect.run(message.chat, effect.type, JSON.stringify(effect), iso);
      this.apply(message.chat, effect, at, message.name);
    }
    return outbox;
  }

  /** Carries out one effect inside the turn's transaction. */
  private apply(chat: string, effect: Effect, at: Date, displayName: string | undefined): void {
    const iso = at.toISOString();
    switch (effect.type) {
      case 'handoff.requested':
        this.openOrEscalate(chat, effect.kind, effect.lang, effect.summary, effect.name ?? displayName, at);
        return;
      case 'handoff.details':
        return; // the details are in the transcript, which staff read with the handoff
      case 'handoff.withdrawn': {
        const open = this.q.openHandoffOf.get(chat);
        if (open) this.q.resolveHandoff.run({ id: open.id, at: iso, resolution: 'client-withdrew' });
        return;
      }
      case 'consultation.requested': {
        if (effect.slot) this.ensureFree(effect.slot, 0);
        const id = Number(this.q.insertConsultation.run({
          chat, mode: effect.mode, name: effect.name, topic: effect.topic, lang: effect.lang, start: effect.slot?.start ?? null,
          end: effect.slot?.end ?? null, preference: effect.preference ?? null, at: iso,
        }).lastInsertRowid);
        this.openOrEscalate(chat, 'consultation', effect.lang, effect.topic, effect.name, at, id);
        return;
      }
      case 'consultation.cancelled': {
        const row = this.q.consultation.get(effect.id);
        if (!row || row.chat !== chat || !ALLOWED[row.status].includes('cancelled')) return;
        this.q.setConsultationStatus.run({ id: row.id, status: 'cancelled', note: 'cancelled by the client', at: iso });
        this.notify({ type: 'consultation.cancelled', consultation: toConsultation(this.q.consultation.get(row.id)!), byErasure: false }, at);
        return;
      }
      case 'consultation.moved': {
        const row = this.q.consultation.get(effect.id);
        if (!row || row.chat !== chat || (row.status !== 'requested' && row.status !== 'confirmed')) return;
        if (effect.slot) this.ensureFree(effect.slot, row.id);
        this.q.moveConsultation.run({ id: row.id, start: effect.slot?.start ?? null, end: effect.slot?.end ?? null, preference: effect.preference ?? null, at: iso });
        this.notify({ type: 'consultation.moved', consultation: toConsultation(this.q.consultation.get(row.id)!) }, at);
        return;
      }
      case 'contact.erased':
        return; // handled before anything of the turn is written
    }
  }

  private ensureFree(slot: Interval, self: number): void {
    if (this.q.overlapping.get(slot.end, slot.start, self)) throw new SlotTakenError(slot);
  }

  /** One open handoff per chat: a new request opens it, a more urgent one escalates it, any other renews the pause. */
  private openOrEscalate(chat: string, kind: HandoffKind, lang: Lang, summary: string, name: string | undefined, at: Date, consultationId?: number): void {
    const iso = at.toISOString();
    const open = this.q.openHandoffOf.get(chat);
    const priority = HANDOFF_PRIORITY[kind];
    let consultation: ConsultationRecord | undefined;
    if (consultationId !== undefined) consultation = toConsultation(this.q.consultation.get(consultationId)!);
    if (!open) {
      const id = Number(this.q.insertHandoff.run({ chat, kind, priority, lang, name: name ?? null, summary, consultationId: consultationId ?? null, at: iso, lastStaffAt: null }).lastInsertRowid);
      this.notify({ type: 'handoff', handoff: toHandoff(this.q.handoff.get(id)!), escalated: false, consultation }, at);
      return;
    }
    if (priority < open.priority) {
      this.q.escalateHandoff.run({ id: open.id, kind, priority, summary, lang, at: iso });
      this.notify({ type: 'handoff', handoff: toHandoff(this.q.handoff.get(open.id)!), escalated: true, consultation }, at);
      return;
    }
    this.q.touchHandoff.run({ id: open.id, at: iso, consultationId: consultationId ?? null, name: name ?? null });
    // A new consultation request is news for staff even while another handoff is open.
    if (consultation) this.notify({ type: 'handoff', handoff: { ...toHandoff(this.q.handoff.get(open.id)!), kind: 'consultation', summary }, escalated: false, consultation }, at);
  }

  private notify(event: StaffEvent, at: Date): void {
    if (!this.planner) return;
    const plan = this.planner(event, at);
    const handoffId = event.type === 'handoff' ? event.handoff.id : null;
    const recipients: (string | null)[] = plan.recipients.length > 0 ? [...plan.recipients] : [null];
    for (const recipient of recipients) {
      this.q.insertNotification.run({
        handoffId, event: event.type, priority: plan.priority, recipient, text: plan.text, at: at.toISOString(), notBefore: plan.notBefore.toISOString(),
      });
    }
  }

  /** Removes a contact's transcript and personal data; their upcoming consultations are cancelled and staff told. */
  private erase(chat: string, at: Date): void {
    const iso = at.toISOString();
    for (const row of this.q.upcomingOf.all(chat, iso)) {
      this.db.prepare(
        `UPDATE consultations SET status = 'cancelled', name = NULL, topic = NULL, preference = NULL, chat = ?,
         note = 'cancelled: the client erased their data', updated_at = ? WHERE id = ?`,
      ).run(ERASED, iso, row.id);
      this.notify({ type: 'consultation.cancelled', consultation: toConsultation(this.q.consultation.get(row.id)!), byErasure: true }, at);
    }
    this.db.prepare(`UPDATE consultations SET name = NULL, topic = NULL, preference = NULL, chat = ? WHERE chat = ?`).run(ERASED, chat);
    const handoffIds = this.db.prepare<[string], { id: number }>('SELECT id FROM handoffs WHERE chat = ?').all(chat).map((r) => r.id);
    for (const id of handoffIds) this.db.prepare('DELETE FROM notifications WHERE handoff_id = ?').run(id);
    this.db.prepare('DELETE FROM handoffs WHERE chat = ?').run(chat);
    this.db.prepare('DELETE FROM effects WHERE chat = ?').run(chat);
    this.db.prepare('DELETE FROM outbox WHERE chat = ?').run(chat);
    this.db.prepare('UPDATE processed_messages SET chat = ? WHERE chat = ?').run(ERASED, chat);
    this.db.prepare('DELETE FROM contacts WHERE chat = ?').run(chat); // cascades to conversation state and messages
  }

  recordStaffMessage(chat: string, text: string, at: Date, options: { resumeBot?: boolean; state?: ConversationState } = {}): { handoffId?: number; resumed: boolean } {
    return this.staffMessage(chat, text, at, options.resumeBot === true, options.state);
  }

  private writeStaffMessage(chat: string, text: string, at: Date, resume: boolean): { handoffId?: number; resumed: boolean } {
    const iso = at.toISOString();
    const open = this.q.openHandoffOf.get(chat);
    if (resume) {
      if (open) this.q.resolveHandoff.run({ id: open.id, at: iso, resolution: 'staff-resumed-bot' });
      return { handoffId: open?.id, resumed: open !== undefined };
    }
    this.q.touchContact.run(chat, iso, iso);
    this.q.message.run({ chat, direction: 'out', author: 'staff', messageId: null, type: 'text', text, intent: null, confidence: null, lang: null, at: iso });
    if (open) {
      this.q.staffActivity.run({ id: open.id, at: iso });
      return { handoffId: open.id, resumed: false };
    }
    // Staff stepped in without being asked: a take-over, recorded as a human handoff that needs no notification.
    const lang = (this.db.prepare<[string], { lang: Lang }>('SELECT lang FROM contacts WHERE chat = ?').get(chat)?.lang ?? 'en') as Lang;
    const id = Number(this.q.insertHandoff.run({ chat, kind: 'human', priority: HANDOFF_PRIORITY.human, lang, name: null, summary: 'Staff took over the conversation', consultationId: null, at: iso, lastStaffAt: iso }).lastInsertRowid);
    return { handoffId: id, resumed: false };
  }

  markSent(id: number, at: Date): void {
    this.q.sent.run(at.toISOString(), id);
  }

  markFailed(id: number): void {
    this.q.failed.run(id);
  }

  unsent(limit = 100): OutboxEntry[] {
    return this.q.unsent.all(limit);
  }

  transcript(chat: string): TranscriptEntry[] {
    return this.q.transcript.all(chat);
  }

  effects(chat?: string): EffectRecord[] {
    return this.q.effects
      .all()
      .filter((r) => chat === undefined || r.chat === chat)
      .map((r) => ({ id: r.id, chat: r.chat, at: r.at, effect: JSON.parse(r.payload) as Effect }));
  }

  openHandoffs(): HandoffRecord[] {
    return this.q.openHandoffs.all().map(toHandoff);
  }

  handoff(id: number): HandoffRecord | undefined {
    const row = this.q.handoff.get(id);
    return row ? toHandoff(row) : undefined;
  }

  handoffsOf(chat: string): HandoffRecord[] {
    return this.q.handoffsOf.all(chat).map(toHandoff);
  }

  resolveHandoff(id: number, at: Date, resolution: HandoffResolution = 'staff'): boolean {
    return this.q.resolveHandoff.run({ id, at: at.toISOString(), resolution }).changes > 0;
  }

  consultation(id: number): ConsultationRecord | undefined {
    const row = this.q.consultation.get(id);
    return row ? toConsultation(row) : undefined;
  }

  consultations(range: { from?: Date; to?: Date } = {}): ConsultationRecord[] {
    const from = range.from?.toISOString() ?? '0000';
    const to = range.to?.toISOString() ?? '9999';
    return this.q.consultationsAll.all(from, to).map(toConsultation);
  }

  setConsultationStatus(id: number, status: ConsultationStatus, at: Date, note?: string): boolean {
    const row = this.q.consultation.get(id);
    if (!row || !ALLOWED[row.status].includes(status)) return false;
    this.q.setConsultationStatus.run({ id, status, note: note ?? null, at: at.toISOString() });
    return true;
  }

  claimHandoff(id: number, staff: string, at: Date): boolean {
    return this.db.prepare(`UPDATE handoffs SET claimed_by = ?, last_staff_at = COALESCE(last_staff_at, ?) WHERE id = ? AND status = 'open'`)
      .run(staff.slice(0, 80), at.toISOString(), id).changes > 0;
  }

  enqueue(chat: string, text: string, at: Date, author?: 'bot' | 'staff'): OutboxEntry {
    return this.db.transaction((): OutboxEntry => {
      const iso = at.toISOString();
      if (author) {
        this.q.touchContact.run(chat, iso, iso);
        this.q.message.run({ chat, direction: 'out', author, messageId: null, type: 'text', text, intent: null, confidence: null, lang: null, at: iso });
      }
      return { id: Number(this.q.outbox.run(chat, text, iso).lastInsertRowid), chat, text };
    }).immediate();
  }

  inboundSince(from: Date): { at: string; intent: string | null; lang: string | null }[] {
    return this.db.prepare<[string], { at: string; intent: string | null; lang: string | null }>(
      `SELECT created_at AS at, intent, lang FROM messages WHERE direction = 'in' AND created_at >= ? ORDER BY id`,
    ).all(from.toISOString());
  }

  unrecognised(from: Date, limit: number): { text: string; lang: string | null; count: number }[] {
    return this.db.prepare<[string, number], { text: string; lang: string | null; count: number }>(
      `SELECT lower(trim(text)) AS text, MAX(lang) AS lang, COUNT(*) AS count FROM messages
       WHERE direction = 'in' AND intent = 'none' AND created_at >= ? AND length(trim(text)) > 0
       GROUP BY lower(trim(text)) ORDER BY count DESC, MAX(id) DESC LIMIT ?`,
    ).all(from.toISOString(), limit);
  }

  dueNotifications(now: Date, limit = 50): NotificationRecord[] {
    return this.q.dueNotifications.all(now.toISOString(), limit).map(toNotification);
  }

  markNotificationSent(id: number, at: Date): void {
    this.q.notificationSent.run(at.toISOString(), id);
  }

  markNotificationFailed(id: number, error: string, retryAt: Date | undefined, at: Date): void {
    this.q.notificationFailed.run({ id, error: error.slice(0, 300), retryAt: retryAt?.toISOString() ?? null, at: at.toISOString() });
  }

  notifications(limit = 100): NotificationRecord[] {
    return this.q.notifications.all(limit).map(toNotification);
  }

  nextNotificationAt(): Date | undefined {
    const at = this.q.nextNotification.get()?.at;
    return at ? new Date(at) : undefined;
  }

  purge(before: Date): PurgeCounts {
    const iso = before.toISOString();
    return this.db.transaction((): PurgeCounts => {
      const messages = this.db.prepare('DELETE FROM messages WHERE created_at < ?').run(iso).changes;
      // A contact silent since before the cutoff, with nothing open or upcoming, is forgotten entirely (name, state).
      const contacts = this.db.prepare(
        `DELETE FROM contacts WHERE last_seen_at < ?
         AND chat NOT IN (SELECT chat FROM handoffs WHERE status = 'open')
         AND chat NOT IN (SELECT chat FROM consultations WHERE status IN ('requested', 'confirmed'))`,
      ).run(iso).changes;
      let other = 0;
      other += this.db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND created_at < ?').run(iso).changes;
      other += this.db.prepare('DELETE FROM effects WHERE created_at < ?').run(iso).changes;
      other += this.db.prepare('DELETE FROM processed_messages WHERE processed_at < ?').run(iso).changes;
      other += this.db.prepare(`DELETE FROM notifications WHERE created_at < ? AND (sent_at IS NOT NULL OR given_up_at IS NOT NULL OR recipient IS NULL)`).run(iso).changes;
      other += this.db.prepare(`UPDATE handoffs SET summary = '', name = NULL WHERE status = 'resolved' AND resolved_at < ? AND summary != ''`).run(iso).changes;
      other += this.db.prepare(
        `UPDATE consultations SET topic = NULL, preference = NULL WHERE status IN ('cancelled', 'completed') AND updated_at < ? AND topic IS NOT NULL`,
      ).run(iso).changes;
      return { messages, contacts, other };
    }).immediate();
  }
}
