/**
 * The storage port on SQLite (the zero-setup default). One connection; every operation runs in turn, and a chat's
 * transaction is `BEGIN IMMEDIATE`, so two processes sharing the file serialise their writes and a consultation time
 * is checked and taken atomically. After an erasure the WAL is checkpointed and truncated, and `secure_delete` has
 * zeroed what was removed, so nothing of the erased client is left in the files.
 */
import { delegateDesk } from '../desk-delegate';
import type { ConversationState, Effect, TurnContext } from '../../dialogue/types';
import type { Lang } from '../../nlu/types';
import {
  attachmentMedia, SlotTakenError,
  type ChatTx, type ConsultationPatch, type ConsultationRecord, type ConsultationStatus, type EffectRecord, type ErasureScope,
  type FailedReply, type HandoffPatch, type HandoffRecord, type InboxItem, type InboxWork, type NewConsultation, type NewHandoff,
  type NewMessage, type NewNotification, type NotificationRecord, type OutboxEntry, type PurgeCounts, type RetentionPlan, type Store,
  type DeskStore, type TranscriptEntry, type TurnLoad, type TurnWrite, HANDOFF_PRIORITY,
  type NewAudit, type NewMedia, type NewNote,
  type NoteRecord,
} from '../../store';
import type { Interval } from '../../dialogue/types';
import {
  ERASED_CHAT, messageKey, toConsultation, toFailed, toHandoff, toInboxItem, toTurnContext, toNotification, toOutbox, workChat, workPayload,
  type ConsultationRow, type FailedRow, type HandoffRow, type InboxRow, type NotificationRow, type OutboxRow, toTranscript, type TranscriptRow,
} from '../rows';
import { addAudit, addMedia, addNote, mediaFor, SqliteDesk, type DeskStatements } from './desk';
import { ERASURE_NOTE } from '../../privacy/erasure';
import { startCheckpointer, SAFETY_CHECKPOINT_PAGES, type Checkpointer } from './checkpointer';
import { openDatabase, type Db } from './database';

/** Runs tasks one after another (SQLite has one writer; the connection is shared by every caller). */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

const ACTIVE = `status IN ('requested', 'confirmed')`;
/** A chat's transaction waiting for the next group commit; `alone` when it failed in a group and runs by itself. */
interface GroupItem {
  readonly chat: string;
  readonly fn: (tx: ChatTx) => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly alone?: boolean;
}

/** At most this many chats' transactions are committed together. */
const MAX_GROUP = 64;

function statements(db: Db) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    claimId: db.prepare('INSERT OR IGNORE INTO processed_messages (message_id, chat, processed_at) VALUES (?, ?, ?)'),
    inboxAdd: db.prepare('INSERT INTO inbox (chat, kind, payload, not_before, created_at) VALUES (?, ?, ?, ?, ?)'),
    inboxNext: db.prepare<[string, string], InboxRow>('SELECT * FROM inbox WHERE chat = ? AND not_before <= ? ORDER BY seq LIMIT 1'),
    inboxDone: db.prepare('DELETE FROM inbox WHERE seq = ?'),
    inboxChats: db.prepare<[string, number], { chat: string }>(
      'SELECT chat FROM inbox WHERE not_before <= ? GROUP BY chat ORDER BY MIN(seq) LIMIT ?',
    ),
    inboxNextAt: db.prepare<[], { at: string | null }>('SELECT MIN(not_before) AS at FROM inbox'),
    state: db.prepare<[string], { state: string }>('SELECT state FROM conversations WHERE chat = ?'),
    saveState: db.prepare(
      `INSERT INTO conversations (chat, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (chat) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    ),
    touchContact: db.prepare(
      `INSERT INTO contacts (chat, name, lang, created_at, last_seen_at, last_inbound_at) VALUES (@chat, @name, COALESCE(@lang, 'en'), @at, @at, @inboundAt)
       ON CONFLICT (chat) DO UPDATE SET name = COALESCE(@name, name), lang = COALESCE(@lang, lang), last_seen_at = @at,
       last_inbound_at = COALESCE(@inboundAt, last_inbound_at)`,
    ),
    contact: db.prepare<[string], { name: string | null; lang: Lang }>('SELECT name, lang FROM contacts WHERE chat = ?'),
    message: db.prepare(
      `INSERT INTO messages (chat, direction, author, message_id, type, text, intent, confidence, lang, created_at, media_id)
       VALUES (@chat, @direction, @author, @messageId, @type, @text, @intent, @confidence, @lang, @at, @mediaId)`,
    ),
    outboxAdd: db.prepare('INSERT INTO outbox (chat, text, created_at, next_attempt_at, forget, lease_until, lease_owner) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    turnLoad: db.prepare<[{ chat: string; now: string }], { state: string | null; queued: number; unsent: number; cases: number; consultations: number }>(
      `SELECT (SELECT state FROM conversations WHERE chat = @chat) AS state,
       EXISTS (SELECT 1 FROM inbox WHERE chat = @chat AND not_before <= @now) AS queued,
       EXISTS (SELECT 1 FROM outbox WHERE chat = @chat AND sent_at IS NULL AND failed_at IS NULL) AS unsent,
       EXISTS (SELECT 1 FROM handoffs WHERE chat = @chat) AS cases,
       EXISTS (SELECT 1 FROM consultations WHERE chat = @chat AND ${ACTIVE})
       OR EXISTS (SELECT 1 FROM consultations WHERE start_at IS NOT NULL AND ${ACTIVE} AND end_at > @now) AS consultations`,
    ),
    effect: db.prepare('INSERT INTO effects (chat, type, payload, created_at) VALUES (?, ?, ?, ?)'),
    openHandoff: db.prepare<[string], HandoffRow>(`SELECT * FROM handoffs WHERE chat = ? AND status = 'open'`),
    pastCase: db.prepare<[string], HandoffRow>(
      `SELECT * FROM handoffs WHERE chat = ? AND status = 'resolved' AND resolution IS NOT 'client-withdrew' ORDER BY resolved_at DESC, id DESC LIMIT 1`,
    ),
    handoff: db.prepare<[number], HandoffRow>('SELECT * FROM handoffs WHERE id = ?'),
    handoffsOf: db.prepare<[string], HandoffRow>('SELECT * FROM handoffs WHERE chat = ? ORDER BY id DESC'),
    openHandoffs: db.prepare<[], HandoffRow>(`SELECT * FROM handoffs WHERE status = 'open' ORDER BY priority, created_at, id`),
    insertHandoff: db.prepare(
      `INSERT INTO handoffs (chat, kind, priority, lang, name, summary, details, consultation_id, created_at, activity_at, last_staff_at, replied_at)
       VALUES (@chat, @kind, @priority, @lang, @name, @summary, @details, @consultationId, @at, @at, @lastStaffAt, @lastStaffAt)`,
    ),
    updateHandoff: db.prepare(
      `UPDATE handoffs SET kind = COALESCE(@kind, kind), priority = COALESCE(@priority, priority), lang = COALESCE(@lang, lang),
       name = COALESCE(@name, name), summary = COALESCE(@summary, summary), details = COALESCE(@details, details),
       consultation_id = COALESCE(@consultationId, consultation_id), activity_at = COALESCE(@activityAt, activity_at),
       last_staff_at = COALESCE(@lastStaffAt, last_staff_at), claimed_by = COALESCE(@claimedBy, claimed_by), replied_at = COALESCE(replied_at, @repliedAt),
       status = COALESCE(@status, status), resolved_at = COALESCE(@resolvedAt, resolved_at), resolution = COALESCE(@resolution, resolution)
       WHERE id = @id AND chat = @chat`,
    ),
    consultation: db.prepare<[number], ConsultationRow>('SELECT * FROM consultations WHERE id = ?'),
    upcoming: db.prepare<[string, string], ConsultationRow>(
      `SELECT * FROM consultations WHERE chat = ? AND ${ACTIVE} AND (end_at IS NULL OR end_at > ?) ORDER BY start_at IS NULL, start_at, id`,
    ),
    busy: db.prepare<[string], { start: string; end: string }>(
      `SELECT start_at AS start, end_at AS end FROM consultations WHERE ${ACTIVE} AND start_at IS NOT NULL AND end_at > ? ORDER BY start_at`,
    ),
    overlapping: db.prepare<[string, string, number], { id: number }>(
      `SELECT id FROM consultations WHERE ${ACTIVE} AND start_at IS NOT NULL AND start_at < ? AND end_at > ? AND id != ? LIMIT 1`,
    ),
    insertConsultation: db.prepare(
      `INSERT INTO consultations (chat, status, mode, name, topic, lang, start_at, end_at, preference, created_at, updated_at)
       VALUES (@chat, 'requested', @mode, @name, @topic, @lang, @start, @end, @preference, @at, @at)`,
    ),
    updateConsultation: db.prepare(
      `UPDATE consultations SET status = COALESCE(@status, status),
       start_at = CASE WHEN @setSlot THEN @start ELSE start_at END, end_at = CASE WHEN @setSlot THEN @end ELSE end_at END,
       preference = CASE WHEN @setPreference THEN @preference ELSE preference END, note = COALESCE(@note, note), updated_at = @at
       WHERE id = @id AND chat = @chat AND status = @from`,
    ),
    consultationsIn: db.prepare<[string, string], ConsultationRow>(
      `SELECT * FROM consultations WHERE COALESCE(start_at, created_at) >= ? AND COALESCE(start_at, created_at) < ?
       ORDER BY COALESCE(start_at, created_at), id`,
    ),
    addNotification: db.prepare(
      `INSERT INTO notifications (chat, handoff_id, event, subject, priority, recipient, text, created_at, not_before, next_attempt_at)
       VALUES (@chat, @handoffId, @event, @subject, @priority, @recipient, @text, @at, @notBefore, @notBefore)`,
    ),
    dropNotifications: db.prepare(
      'DELETE FROM notifications WHERE subject = ? AND sent_at IS NULL AND given_up_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)',
    ),
    outboxHeads: db.prepare<{ now: string; due: string; chat: string | null; limit: number }, OutboxRow>(
      `SELECT o.id, o.chat, o.text, o.attempts, o.created_at, c.last_inbound_at FROM outbox o LEFT JOIN contacts c ON c.chat = o.chat
       WHERE o.id IN (SELECT MIN(id) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND (@chat IS NULL OR chat = @chat) GROUP BY chat)
       AND o.next_attempt_at <= @due AND (o.lease_until IS NULL OR o.lease_until <= @now) ORDER BY o.id LIMIT @limit`,
    ),
    leaseOutbox: db.prepare('UPDATE outbox SET lease_until = ?, lease_owner = ? WHERE id = ?'),
    releaseOutbox: db.prepare('UPDATE outbox SET lease_until = NULL, lease_owner = NULL WHERE id = ? AND lease_owner = ? AND sent_at IS NULL'),
    claimOwners: db.prepare<{ now: string }, { owner: string }>(
      `SELECT lease_owner AS owner FROM outbox WHERE sent_at IS NULL AND lease_owner IS NOT NULL AND lease_until > @now
       UNION SELECT lease_owner FROM notifications WHERE sent_at IS NULL AND lease_owner IS NOT NULL AND lease_until > @now`,
    ),
    releaseOwnerOutbox: db.prepare('UPDATE outbox SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ? AND sent_at IS NULL'),
    releaseOwnerNotifications: db.prepare('UPDATE notifications SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ? AND sent_at IS NULL'),
    renewOutbox: db.prepare('UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_owner = ? AND sent_at IS NULL AND failed_at IS NULL'),
    outboxSent: db.prepare('UPDATE outbox SET sent_at = ?, attempts = attempts + 1, lease_until = NULL, lease_owner = NULL WHERE id = ? AND forget = 0'),
    // The reply to an erasure is the only row left of that chat: once sent, it goes too.
    outboxForget: db.prepare('DELETE FROM outbox WHERE id = ? AND forget = 1'),
    outboxFailed: db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_error = @error, lease_until = NULL, lease_owner = NULL,
       next_attempt_at = COALESCE(@retryAt, next_attempt_at), failed_at = CASE WHEN @retryAt IS NULL THEN @at ELSE NULL END WHERE id = @id`,
    ),
    outboxNextAt: db.prepare<[], { at: string | null }>(
      'SELECT MIN(next_attempt_at) AS at FROM outbox WHERE id IN (SELECT MIN(id) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY chat)',
    ),
    outboxState: db.prepare<[number], { sent_at: string | null; failed_at: string | null }>('SELECT sent_at, failed_at FROM outbox WHERE id = ?'),
    failedReplies: db.prepare<[number], FailedRow>(
      'SELECT id, chat, text, attempts, last_error, created_at, failed_at FROM outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC LIMIT ?',
    ),
    dueNotifications: db.prepare<[string, string, number], NotificationRow>(
      `SELECT * FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL
       AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY priority, id LIMIT ?`,
    ),
    leaseNotification: db.prepare('UPDATE notifications SET lease_until = ?, lease_owner = ? WHERE id = ?'),
    notificationSent: db.prepare('UPDATE notifications SET sent_at = ?, attempts = attempts + 1, lease_until = NULL WHERE id = ?'),
    notificationFailed: db.prepare(
      `UPDATE notifications SET attempts = attempts + 1, last_error = @error, next_attempt_at = COALESCE(@retryAt, next_attempt_at),
       given_up_at = CASE WHEN @retryAt IS NULL THEN @at ELSE NULL END, lease_until = NULL WHERE id = @id`,
    ),
    notifications: db.prepare<[number], NotificationRow>('SELECT * FROM notifications ORDER BY id DESC LIMIT ?'),
    nextNotification: db.prepare<[], { at: string | null }>(
      'SELECT MIN(next_attempt_at) AS at FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL',
    ),
    jobInit: db.prepare(`INSERT OR IGNORE INTO jobs (name, next_run_at) VALUES (?, '1970-01-01T00:00:00.000Z')`),
    jobClaim: db.prepare('UPDATE jobs SET next_run_at = ? WHERE name = ? AND next_run_at <= ?'),
    lease: db.prepare(
      `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expires)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
    ),
    releaseLease: db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?'),
    transcript: db.prepare<[string], TranscriptRow>(
      `SELECT m.id, m.direction, m.author, m.type, m.text, m.intent, m.created_at AS at, m.media_id, d.mime_type, d.size, d.filename
       FROM messages m LEFT JOIN media d ON d.id = m.media_id WHERE m.chat = ? ORDER BY m.id`,
    ),
    effects: db.prepare<[], { id: number; chat: string; payload: string; at: string }>('SELECT id, chat, payload, created_at AS at FROM effects ORDER BY id'),
    inboundSince: db.prepare<[string], { at: string; intent: string | null; lang: string | null }>(
      `SELECT created_at AS at, intent, lang FROM messages WHERE direction = 'in' AND created_at >= ? ORDER BY id`,
    ),
    // The language is the conversation's, not one short message's guess ("ayudaaa" in a Spanish conversation is Spanish).
    unrecognised: db.prepare<[string, number], { text: string; lang: string | null; count: number }>(
      `SELECT lower(trim(m.text)) AS text, MAX(COALESCE(c.lang, m.lang)) AS lang, COUNT(*) AS count FROM messages m LEFT JOIN contacts c ON c.chat = m.chat
       WHERE m.direction = 'in' AND m.intent = 'none' AND m.created_at >= ? AND length(trim(m.text)) > 0
       GROUP BY lower(trim(m.text)) ORDER BY count DESC, MAX(m.id) DESC LIMIT ?`,
    ),
  };
}

type Statements = ReturnType<typeof statements>;

/** Keeps an inbound message's attachment in `media` first: its bytes never go into the inbox payload. */
function keepAttachment(q: DeskStatements, work: InboxWork, at: string): void {
  if (work.kind !== 'message') return;
  const media = attachmentMedia(work.message, at);
  if (media) addMedia(q, work.message.chat, media);
}

/** All of Puente's state in one SQLite database file. */
// Its DeskStore methods are handed to its desk object (storage/sqlite/desk.ts), see delegateDesk below the class.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SqliteStore extends DeskStore {}

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  private readonly q: Statements;
  private readonly serial = new Serial();
  private readonly desk: SqliteDesk;

  constructor(readonly db: Db) {
    this.q = statements(db);
    this.desk = new SqliteDesk(db, (task) => this.serial.run(task));
  }


  /**
   * Opens (creating and migrating) the database file; `:memory:` for tests. WAL checkpoints move to a worker thread
   * once the store has committed `backgroundCheckpointsAfter` times (a server, not a short-lived tool or test).
   */
  static open(file: string, options: { backgroundCheckpointsAfter?: number } = {}): SqliteStore {
    const store = new SqliteStore(openDatabase(file));
    if (file !== ':memory:') store.checkpointsAfter = options.backgroundCheckpointsAfter ?? 200;
    return store;
  }

  /** Commits still to go before checkpoints move to a worker thread (undefined: never, e.g. `:memory:`). */
  private checkpointsAfter: number | undefined;
  private checkpointer: Checkpointer | undefined;

  /** The background checkpointer, once started (tests and diagnostics). */
  get backgroundCheckpoints(): Checkpointer | undefined {
    return this.checkpointer;
  }

  private countCommit(): void {
    if (this.checkpointsAfter === undefined || --this.checkpointsAfter > 0) return;
    this.checkpointsAfter = undefined;
    try {
      this.checkpointer = startCheckpointer(this.db.name, () => {
        // The worker is gone: SQLite's own automatic checkpoints again.
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
      this.db.pragma(`wal_autocheckpoint = ${SAFETY_CHECKPOINT_PAGES}`);
    } catch {
      // No worker threads here: SQLite's automatic checkpoints stay as they are.
    }
  }

  accept(work: readonly InboxWork[], at: Date): Promise<{ chats: string[]; duplicates: number }> {
    return this.serial.run(() =>
      this.db.transaction(() => {
        const iso = at.toISOString();
        const chats = new Set<string>();
        let duplicates = 0;
        for (const w of work) {
          const chat = workChat(w);
          if (w.kind === 'message' && this.q.claimId.run(messageKey(w.message.id), chat, iso).changes === 0) {
            duplicates++;
            continue;
          }
          keepAttachment(this.desk.q, w, iso);
          this.q.inboxAdd.run(chat, w.kind, workPayload(w), iso, iso);
          chats.add(chat);
        }
        return { chats: [...chats], duplicates };
      }).immediate(),
    );
  }

  chatsWithWork(now: Date, limit: number): Promise<string[]> {
    return this.serial.run(() => this.q.inboxChats.all(now.toISOString(), limit).map((r) => r.chat));
  }

  nextWorkAt(): Promise<Date | undefined> {
    return this.serial.run(() => at(this.q.inboxNextAt.get()?.at));
  }

  /**
   * Group commit: the chats' transactions waiting when the database comes free run one after the other in one SQLite
   * transaction and are committed once. Each caller's promise settles only after that commit. One that throws rolls
   * the group back: the others run again, and it runs alone, so its outcome and its error are its own.
   */
  withChat<T>(chat: string, fn: (tx: ChatTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ chat, fn: fn as (tx: ChatTx) => Promise<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (this.waiting.length === 1) void this.serial.run(() => this.commitGroup());
    });
  }

  private readonly waiting: GroupItem[] = [];

  /** The next group: the waiting transactions in order, up to one that must run alone (or that one by itself). */
  private nextGroup(): GroupItem[] {
    if (this.waiting[0]?.alone) return this.waiting.splice(0, 1);
    const end = this.waiting.findIndex((item, i) => item.alone || i >= MAX_GROUP);
    return this.waiting.splice(0, end < 0 ? this.waiting.length : end);
  }

  private async commitGroup(): Promise<void> {
    const group = this.nextGroup();
    if (this.waiting.length > 0) void this.serial.run(() => this.commitGroup());
    if (group.length === 0) return;
    const values: unknown[] = [];
    let failed: { at: number; error: unknown } | undefined;
    let erased = false;
    try {
      this.q.begin.run();
      for (const [i, item] of group.entries()) {
        const tx = new SqliteChatTx(this.db, this.q, this.desk.q, item.chat);
        try {
          values.push(await item.fn(tx));
          erased ||= tx.erased;
        } catch (error) {
          failed = { at: i, error };
          break;
        } finally {
          tx.done = true;
        }
      }
      if (failed) throw failed.error;
      this.q.commit.run();
    } catch (error) {
      // Nothing of the group is committed.
      if (this.db.inTransaction) this.q.rollback.run();
      if (failed && group.length > 1) {
        // The others again, it alone, in their order and before anything newer.
        const at = failed.at;
        this.waiting.unshift(...group.slice(0, at), { ...group[at], alone: true }, ...group.slice(at + 1));
        void this.serial.run(() => this.commitGroup());
        return;
      }
      // A transaction of its own that threw, or the transaction itself failed (the disk, a lock held too long).
      for (const item of group) item.reject(error);
      return;
    }
    // What an erasure removed must not stay readable in the WAL: move it into the (zeroed) pages and truncate.
    if (erased) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.countCommit();
    group.forEach((item, i) => item.resolve(values[i]));
  }

  claimOutbox(owner: string, now: Date, leaseMs: number, limit: number, chat?: string, options: { ignoreBackoff?: boolean } = {}): Promise<OutboxEntry[]> {
    return this.serial.run(() =>
      this.db.transaction(() => {
        const due = options.ignoreBackoff ? '9999' : now.toISOString();
        const rows = this.q.outboxHeads.all({ now: now.toISOString(), due, chat: chat ?? null, limit });
        const until = new Date(now.getTime() + leaseMs).toISOString();
        for (const r of rows) this.q.leaseOutbox.run(until, owner, r.id);
        return rows.map(toOutbox);
      }).immediate(),
    );
  }

  /** Recorded in the next group commit, with the turns waiting (one commit for both). */
  markSent(ids: readonly number[], at: Date): Promise<void> {
    return this.withChat('', async (tx) => {
      for (const id of ids) {
        // The reply to an erasure is the only row left of that chat: once sent, it goes too (and out of the WAL).
        if (this.q.outboxSent.run(at.toISOString(), id).changes === 0 && this.q.outboxForget.run(id).changes > 0) (tx as SqliteChatTx).erased = true;
      }
    });
  }

  releaseOutbox(ids: readonly number[], owner: string): Promise<void> {
    return this.serial.run(() => {
      for (const id of ids) this.q.releaseOutbox.run(id, owner);
    });
  }

  claimOwners(now: Date): Promise<string[]> {
    return this.serial.run(() => this.q.claimOwners.all({ now: now.toISOString() }).map((r) => r.owner));
  }

  releaseClaimsOf(owners: readonly string[]): Promise<number> {
    return this.serial.run(() =>
      this.db.transaction(() => owners.reduce((n, owner) => n + this.q.releaseOwnerOutbox.run(owner).changes + this.q.releaseOwnerNotifications.run(owner).changes, 0))(),
    );
  }

  renewOutbox(ids: readonly number[], owner: string, now: Date, leaseMs: number): Promise<number[]> {
    const until = new Date(now.getTime() + leaseMs).toISOString();
    return this.serial.run(() => ids.filter((id) => this.q.renewOutbox.run(until, id, owner).changes > 0));
  }

  markSendFailed(id: number, error: string, retryAt: Date | undefined, at: Date): Promise<void> {
    return this.serial.run(() => void this.q.outboxFailed.run({ id, error: error.slice(0, 300), retryAt: retryAt?.toISOString() ?? null, at: at.toISOString() }));
  }

  nextOutboxAt(): Promise<Date | undefined> {
    return this.serial.run(() => at(this.q.outboxNextAt.get()?.at));
  }

  outboxState(id: number): Promise<boolean | 'failed'> {
    return this.serial.run(() => {
      const row = this.q.outboxState.get(id);
      if (!row) return true; // sent and forgotten (the reply to an erasure)
      return row.failed_at ? 'failed' : row.sent_at !== null;
    });
  }

  failedReplies(limit = 50): Promise<FailedReply[]> {
    return this.serial.run(() => this.q.failedReplies.all(limit).map(toFailed));
  }

  claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<NotificationRecord[]> {
    return this.serial.run(() =>
      this.db.transaction(() => {
        const iso = now.toISOString();
        const rows = this.q.dueNotifications.all(iso, iso, limit);
        const until = new Date(now.getTime() + leaseMs).toISOString();
        for (const r of rows) this.q.leaseNotification.run(until, owner, r.id);
        return rows.map(toNotification);
      }).immediate(),
    );
  }

  markNotificationSent(id: number, at: Date): Promise<void> {
    return this.serial.run(() => void this.q.notificationSent.run(at.toISOString(), id));
  }

  markNotificationFailed(id: number, error: string, retryAt: Date | undefined, at: Date): Promise<void> {
    return this.serial.run(() => void this.q.notificationFailed.run({ id, error: error.slice(0, 300), retryAt: retryAt?.toISOString() ?? null, at: at.toISOString() }));
  }

  notifications(limit = 100): Promise<NotificationRecord[]> {
    return this.serial.run(() => this.q.notifications.all(limit).map(toNotification));
  }

  nextNotificationAt(): Promise<Date | undefined> {
    return this.serial.run(() => at(this.q.nextNotification.get()?.at));
  }

  claimJob(name: string, now: Date, periodMs: number): Promise<boolean> {
    return this.serial.run(() => {
      this.q.jobInit.run(name);
      return this.q.jobClaim.run(new Date(now.getTime() + periodMs).toISOString(), name, now.toISOString()).changes === 1;
    });
  }

  acquireLease(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    return this.serial.run(
      () => this.q.lease.run({ name, owner, expires: new Date(now.getTime() + ttlMs).toISOString(), now: now.toISOString() }).changes > 0,
    );
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.serial.run(() => void this.q.releaseLease.run(name, owner));
  }

  openHandoffs(): Promise<HandoffRecord[]> {
    return this.serial.run(() => this.q.openHandoffs.all().map(toHandoff));
  }

  handoff(id: number): Promise<HandoffRecord | undefined> {
    return this.serial.run(() => {
      const row = this.q.handoff.get(id);
      return row ? toHandoff(row) : undefined;
    });
  }

  handoffsOf(chat: string): Promise<HandoffRecord[]> {
    return this.serial.run(() => this.q.handoffsOf.all(chat).map(toHandoff));
  }

  transcript(chat: string): Promise<TranscriptEntry[]> {
    return this.serial.run(() => this.q.transcript.all(chat).map(toTranscript));
  }

  consultation(id: number): Promise<ConsultationRecord | undefined> {
    return this.serial.run(() => {
      const row = this.q.consultation.get(id);
      return row ? toConsultation(row) : undefined;
    });
  }

  consultations(range: { from?: Date; to?: Date } = {}): Promise<ConsultationRecord[]> {
    return this.serial.run(() =>
      this.q.consultationsIn.all(range.from?.toISOString() ?? '0000', range.to?.toISOString() ?? '9999').map(toConsultation),
    );
  }

  effects(chat?: string): Promise<EffectRecord[]> {
    return this.serial.run(() =>
      this.q.effects
        .all()
        .filter((r) => chat === undefined || r.chat === chat)
        .map((r) => ({ id: r.id, chat: r.chat, at: r.at, effect: JSON.parse(r.payload) as Effect })),
    );
  }

  state(chat: string): Promise<ConversationState | undefined> {
    return this.serial.run(() => {
      const row = this.q.state.get(chat);
      return row ? (JSON.parse(row.state) as ConversationState) : undefined;
    });
  }

  inboundSince(from: Date): Promise<{ at: string; intent: string | null; lang: string | null }[]> {
    return this.serial.run(() => this.q.inboundSince.all(from.toISOString()));
  }

  unrecognised(from: Date, limit: number): Promise<{ text: string; lang: string | null; count: number }[]> {
    return this.serial.run(() => this.q.unrecognised.all(from.toISOString(), limit));
  }

  purge(plan: RetentionPlan): Promise<PurgeCounts> {
    return this.serial.run(() =>
      this.db.transaction((): PurgeCounts => {
        const run = (sql: string, ...params: unknown[]) => this.db.prepare(sql).run(...params).changes;
        const messages = run('DELETE FROM messages WHERE created_at < ?', plan.messagesBefore);
        let other = 0;
        other += run('DELETE FROM media WHERE created_at < ?', plan.mediaBefore);
        other += run(
          `DELETE FROM notes WHERE created_at < ? AND chat NOT IN (SELECT chat FROM handoffs WHERE status = 'open')
           AND chat NOT IN (SELECT chat FROM consultations WHERE ${ACTIVE})`,
          plan.notesBefore,
        );
        other += run(`UPDATE audit SET chat = NULL, detail = NULL WHERE at < ? AND (chat IS NOT NULL OR detail IS NOT NULL)`, plan.auditBefore);
        other += run('DELETE FROM staff_sessions WHERE expires_at < ?', plan.expiredBefore);
        other += run('DELETE FROM sign_in_failures WHERE at < ?', plan.signInFailuresBefore);
        // A contact silent since before the cutoff, with nothing open or upcoming, is forgotten entirely (name, state).
        const contacts = run(
          `DELETE FROM contacts WHERE last_seen_at < ?
           AND chat NOT IN (SELECT chat FROM handoffs WHERE status = 'open')
           AND chat NOT IN (SELECT chat FROM consultations WHERE ${ACTIVE})`,
          plan.contactsSilentBefore,
        );
        const before = plan.housekeepingBefore;
        other += run('DELETE FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < ?', before);
        other += run('DELETE FROM effects WHERE created_at < ?', before);
        other += run('DELETE FROM processed_messages WHERE processed_at < ?', before);
        other += run('DELETE FROM notifications WHERE created_at < ? AND (sent_at IS NOT NULL OR given_up_at IS NOT NULL OR recipient IS NULL)', before);
        other += run(
          `UPDATE handoffs SET summary = '', name = NULL, details = NULL WHERE status = 'resolved' AND resolved_at < ? AND (summary != '' OR name IS NOT NULL OR details IS NOT NULL)`,
          plan.redactHandoffsBefore,
        );
        other += run(
          `UPDATE consultations SET topic = NULL, preference = NULL WHERE NOT ${ACTIVE} AND updated_at < ? AND (topic IS NOT NULL OR preference IS NOT NULL)`,
          plan.redactConsultationsBefore,
        );
        return { messages, contacts, other };
      }).immediate(),
    );
  }


  ping(): Promise<boolean> {
    return this.serial.run(() => {
      try {
        return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    });
  }

  schemaVersion(): Promise<number> {
    return this.serial.run(() => this.db.pragma('user_version', { simple: true }) as number);
  }

  close(): Promise<void> {
    return this.serial.run(async () => {
      this.checkpointsAfter = undefined;
      await this.checkpointer?.stop();
      if (this.db.open) this.db.close();
    });
  }
}
delegateDesk(SqliteStore);

const at = (iso: string | null | undefined): Date | undefined => (iso ? new Date(iso) : undefined);

/** One chat's transaction on SQLite: synchronous statements behind the asynchronous port. */
class SqliteChatTx implements ChatTx {
  done = false;
  erased = false;

  constructor(private readonly db: Db, private readonly q: Statements, private readonly d: DeskStatements, readonly chat: string) {}

  private live(): void {
    if (this.done) throw new Error('transaction already finished');
  }

  async nextInbox(now: Date): Promise<InboxItem | undefined> {
    this.live();
    const row = this.q.inboxNext.get(this.chat, now.toISOString());
    return row ? toInboxItem(row) : undefined;
  }

  async finishInbox(seq: number): Promise<void> {
    this.live();
    this.q.inboxDone.run(seq);
  }

  async schedule(work: InboxWork, notBefore: Date): Promise<void> {
    this.live();
    keepAttachment(this.d, work, new Date().toISOString());
    this.q.inboxAdd.run(this.chat, work.kind, workPayload(work), notBefore.toISOString(), new Date().toISOString());
  }

  /**
   * The message id claimed, then one statement for the state, waiting work, and whether the chat has any case or
   * consultation and anyone any upcoming consultation; those are read only when there are some (most turns have none).
   */
  async load(now: Date, claim?: string): Promise<TurnLoad> {
    this.live();
    const iso = now.toISOString();
    const claimed = claim === undefined || this.q.claimId.run(messageKey(claim), this.chat, iso).changes > 0;
    const row = this.q.turnLoad.get({ chat: this.chat, now: iso })!;
    return {
      claimed,
      state: row.state === null ? undefined : (JSON.parse(row.state) as ConversationState),
      context: row.cases || row.consultations ? await this.context(now) : { consultations: [], busy: [] },
      queued: row.queued === 1,
      unsent: row.unsent === 1,
    };
  }

  async writeTurn(w: TurnWrite): Promise<OutboxEntry[]> {
    this.live();
    const iso = w.at.toISOString();
    this.q.touchContact.run({ chat: this.chat, name: w.contact.name ?? null, lang: w.contact.lang, at: iso, inboundAt: w.contact.inbound ? iso : null });
    this.q.saveState.run(this.chat, JSON.stringify(w.state), iso);
    await this.addMessages(w.messages);
    const until = w.lease?.until.toISOString() ?? null;
    const owner = w.lease?.owner ?? null;
    return w.replies.map((text) => ({ id: Number(this.q.outboxAdd.run(this.chat, text, iso, iso, 0, until, owner).lastInsertRowid), chat: this.chat, text, attempts: 0, createdAt: iso }));
  }

  async state(): Promise<ConversationState | undefined> {
    this.live();
    const row = this.q.state.get(this.chat);
    return row ? (JSON.parse(row.state) as ConversationState) : undefined;
  }

  async context(now: Date): Promise<TurnContext> {
    this.live();
    const iso = now.toISOString();
    const open = this.q.openHandoff.get(this.chat);
    return toTurnContext(open, open ? undefined : this.q.pastCase.get(this.chat), this.q.upcoming.all(this.chat, iso), this.q.busy.all(iso));
  }

  async saveState(state: ConversationState, at: Date): Promise<void> {
    this.live();
    this.q.saveState.run(this.chat, JSON.stringify(state), at.toISOString());
  }

  async touchContact(at: Date, update: { name?: string; lang?: Lang; inbound?: boolean } = {}): Promise<void> {
    this.live();
    const iso = at.toISOString();
    this.q.touchContact.run({ chat: this.chat, name: update.name ?? null, lang: update.lang ?? null, at: iso, inboundAt: update.inbound ? iso : null });
  }

  async contact(): Promise<{ name?: string; lang: Lang } | undefined> {
    this.live();
    const row = this.q.contact.get(this.chat);
    return row ? { lang: row.lang, ...(row.name ? { name: row.name } : {}) } : undefined;
  }

  async addMessages(messages: readonly NewMessage[]): Promise<void> {
    this.live();
    for (const m of messages) {
      this.q.message.run({
        chat: this.chat, direction: m.direction, author: m.author, messageId: m.messageId ? messageKey(m.messageId) : null, type: m.type, text: m.text,
        intent: m.intent ?? null, confidence: m.confidence ?? null, lang: m.lang ?? null, at: m.at, mediaId: m.mediaId ?? null,
      });
    }
  }

  async enqueue(texts: readonly string[], at: Date, options: { forget?: boolean } = {}): Promise<OutboxEntry[]> {
    this.live();
    const iso = at.toISOString();
    const forget = options.forget ? 1 : 0;
    return texts.map((text) => ({ id: Number(this.q.outboxAdd.run(this.chat, text, iso, iso, forget, null, null).lastInsertRowid), chat: this.chat, text, attempts: 0, createdAt: iso }));
  }

  async recordEffect(effect: Effect, at: Date): Promise<void> {
    this.live();
    this.q.effect.run(this.chat, effect.type, JSON.stringify(effect), at.toISOString());
  }

  async openHandoff(): Promise<HandoffRecord | undefined> {
    this.live();
    const row = this.q.openHandoff.get(this.chat);
    return row ? toHandoff(row) : undefined;
  }

  async insertHandoff(h: NewHandoff): Promise<HandoffRecord> {
    this.live();
    const id = Number(this.q.insertHandoff.run({
      chat: this.chat, kind: h.kind, priority: HANDOFF_PRIORITY[h.kind], lang: h.lang, name: h.name ?? null, summary: h.summary,
      details: h.details ? JSON.stringify(h.details) : null, consultationId: h.consultationId ?? null, at: h.at, lastStaffAt: h.lastStaffAt ?? null,
    }).lastInsertRowid);
    return toHandoff(this.q.handoff.get(id)!);
  }

  async updateHandoff(id: number, p: HandoffPatch): Promise<HandoffRecord> {
    this.live();
    this.q.updateHandoff.run({
      id, chat: this.chat, kind: p.kind ?? null, priority: p.kind ? HANDOFF_PRIORITY[p.kind] : null, lang: p.lang ?? null, name: p.name ?? null,
      summary: p.summary ?? null, details: p.details ? JSON.stringify(p.details) : null, consultationId: p.consultationId ?? null,
      activityAt: p.activityAt ?? null, lastStaffAt: p.lastStaffAt ?? null, repliedAt: p.repliedAt ?? null, claimedBy: p.claimedBy ?? null, status: p.status ?? null,
      resolvedAt: p.resolvedAt ?? null, resolution: p.resolution ?? null,
    });
    return toHandoff(this.q.handoff.get(id)!);
  }

  async consultation(id: number): Promise<ConsultationRecord | undefined> {
    this.live();
    const row = this.q.consultation.get(id);
    return row ? toConsultation(row) : undefined;
  }

  async upcoming(now: Date): Promise<ConsultationRecord[]> {
    this.live();
    return this.q.upcoming.all(this.chat, now.toISOString()).map(toConsultation);
  }

  private ensureFree(slot: Interval, self: number): void {
    if (this.q.overlapping.get(slot.end, slot.start, self)) throw new SlotTakenError(slot);
  }

  async insertConsultation(c: NewConsultation): Promise<ConsultationRecord> {
    this.live();
    if (c.slot) this.ensureFree(c.slot, 0);
    const id = Number(this.q.insertConsultation.run({
      chat: this.chat, mode: c.mode, name: c.name ?? null, topic: c.topic ?? null, lang: c.lang, start: c.slot?.start ?? null,
      end: c.slot?.end ?? null, preference: c.preference ?? null, at: c.at,
    }).lastInsertRowid);
    return toConsultation(this.q.consultation.get(id)!);
  }

  async updateConsultation(id: number, from: ConsultationStatus, p: ConsultationPatch): Promise<ConsultationRecord | undefined> {
    this.live();
    const staysActive = (p.status ?? from) === 'requested' || (p.status ?? from) === 'confirmed';
    if (p.slot && staysActive) this.ensureFree(p.slot, id);
    const changed = this.q.updateConsultation.run({
      id, chat: this.chat, from, status: p.status ?? null, setSlot: p.slot !== undefined ? 1 : 0, start: p.slot?.start ?? null, end: p.slot?.end ?? null,
      setPreference: p.preference !== undefined ? 1 : 0, preference: p.preference ?? null, note: p.note ?? null, at: p.at,
    }).changes;
    return changed > 0 ? toConsultation(this.q.consultation.get(id)!) : undefined;
  }

  async addNotifications(notifications: readonly NewNotification[]): Promise<void> {
    this.live();
    for (const n of notifications) {
      this.q.addNotification.run({
        chat: n.chat ?? null, handoffId: n.handoffId ?? null, event: n.event, subject: n.subject ?? null, priority: n.priority,
        recipient: n.recipient ?? null, text: n.text, at: n.at, notBefore: n.notBefore,
      });
    }
  }

  async dropPendingNotifications(subject: string): Promise<number> {
    this.live();
    return this.q.dropNotifications.run(subject, new Date().toISOString()).changes;
  }

  async erase(scope: ErasureScope): Promise<void> {
    this.live();
    const chat = this.chat;
    const run = (sql: string, ...params: unknown[]) => this.db.prepare(sql).run(...params);
    if (scope.consultations === 'anonymise') {
      // A staff note may name the client; only the note saying why it was cancelled stays.
      run(`UPDATE consultations SET name = NULL, topic = NULL, preference = NULL, note = CASE WHEN note = ? THEN note ELSE NULL END, chat = ? WHERE chat = ?`, ERASURE_NOTE, ERASED_CHAT, chat);
    }
    if (scope.handoffs === 'delete') {
      run('DELETE FROM notifications WHERE chat = ? OR handoff_id IN (SELECT id FROM handoffs WHERE chat = ?)', chat, chat);
      run('DELETE FROM handoffs WHERE chat = ?', chat);
    }
    if (scope.notes === 'delete') run('DELETE FROM notes WHERE chat = ?', chat);
    if (scope.audit === 'detach') run('UPDATE audit SET chat = ?, detail = NULL WHERE chat = ?', ERASED_CHAT, chat);
    if (scope.personalData) {
      run('DELETE FROM media WHERE chat = ?', chat);
      run('DELETE FROM effects WHERE chat = ?', chat);
      run('DELETE FROM outbox WHERE chat = ?', chat);
      run('DELETE FROM inbox WHERE chat = ?', chat);
      run('DELETE FROM contacts WHERE chat = ?', chat); // cascades to conversation state and messages
    }
    if (scope.processedIds === 'detach') run('UPDATE processed_messages SET chat = ? WHERE chat = ?', ERASED_CHAT, chat);
    this.erased = true;
  }
  async addNote(note: NewNote): Promise<NoteRecord> {
    this.live();
    return addNote(this.d, this.chat, note);
  }

  async addAudit(entry: Omit<NewAudit, 'chat'>): Promise<void> {
    this.live();
    addAudit(this.d, this.chat, entry);
  }

  async addMedia(media: NewMedia): Promise<number> {
    this.live();
    return addMedia(this.d, this.chat, media);
  }

  async mediaFor(messageId: string): Promise<number | undefined> {
    this.live();
    return mediaFor(this.d, this.chat, messageId);
  }
}
