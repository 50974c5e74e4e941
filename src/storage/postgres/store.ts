/**
 * The storage port on PostgreSQL, for several Puente servers on one database (`DATABASE_URL`).
 *
 * - A chat's transaction takes a transaction-scoped advisory lock on the chat, so one chat's messages are handled one
 *   at a time and in order whichever server received them.
 * - Chats' transactions waiting together are group-committed (groups.ts): one transaction, their statements batched
 *   (turn-batch.ts); webhooks arriving together are stored together.
 * - Replies and staff notifications are claimed with `FOR UPDATE SKIP LOCKED` and a lease: each goes out once, and
 *   one claimed by a server that died is taken over when its lease ends.
 * - A consultation time can never be held twice: an exclusion constraint on the time range, not only a check.
 * - Periodic work is claimed per period in `jobs`; the whatsapp-web channel holds a named lease in `leases`.
 */
import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { delegateDesk } from '../desk-delegate';
import { ChatGroups, type GroupOptions } from './groups';
import { inTransaction, type Queryable } from './transaction';
import { finishInboxItems, loadTurns, nextInboxItems, writeTurns, type TurnBatch } from './turn-batch';
import type { ConversationState, Effect, Interval, TurnContext } from '../../dialogue/types';
import type { Lang } from '../../nlu/types';
import { ERASURE_NOTE } from '../../privacy/erasure';
import {
  attachmentMedia, HANDOFF_PRIORITY, SlotTakenError,
  type ChatTx, type ConsultationPatch, type ConsultationRecord, type ConsultationStatus, type EffectRecord, type ErasureScope,
  type FailedReply, type HandoffPatch, type HandoffRecord, type InboxItem, type InboxWork, type NewConsultation, type NewHandoff,
  type NewMessage, type NewNotification, type NotificationRecord, type OutboxEntry, type PurgeCounts, type RetentionPlan, type Store,
  type DeskStore, type TranscriptEntry, type TurnLoad, type TurnWrite,
  type NewAudit, type NewMedia, type NewNote,
  type NoteRecord,
} from '../../store';
import {
  ERASED_CHAT, iso, messageKey, toConsultation, toFailed, toHandoff, toNotification, toOutbox, toTurnContext, workChat, workPayload,
  type ConsultationRow, type FailedRow, type HandoffRow, type NotificationRow, type OutboxRow, toTranscript, type TranscriptRow,
} from '../rows';
import { addAudit, addMedia, addNote, mediaFor, PostgresDesk } from './desk';
import { migratePostgres } from './schema';

/** Keeps an inbound message's attachment in `media` first: its bytes never go into the inbox payload. */
async function keepAttachment(db: Queryable, work: InboxWork, at: Date): Promise<void> {
  if (work.kind !== 'message') return;
  const media = attachmentMedia(work.message, at.toISOString());
  if (media) await addMedia(db, work.message.chat, media);
}


/** What storing inbound work did: the chats that got work, and the messages already accepted before. */
type Accepted = { chats: string[]; duplicates: number };

/**
 * Stores deliveries' work in the inbox inside a transaction, in order: each message id claimed first, once (a message
 * Meta delivered before, or twice among these, is a duplicate). Work without an attachment goes in one statement; a
 * message with an attachment keeps its bytes in `media` first, on its own.
 */
async function storeWork(db: Queryable, deliveries: readonly { work: readonly InboxWork[]; at: Date }[]): Promise<Accepted[]> {
  const results = deliveries.map(() => ({ chats: new Set<string>(), duplicates: 0 }));
  const seen = new Set<string>();
  const rows: { n: number; d: number; chat: string; kind: string; key: string | null; payload: unknown; at: string }[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const { rows: stored } = await db.query<{ n: number }>({
      name: 'pg-inbox-accept',
      text: `WITH w AS (
               SELECT * FROM jsonb_to_recordset($1::jsonb) AS w(n integer, chat text, kind text, key text, payload jsonb, at timestamptz)
             ), claimed AS (
               INSERT INTO processed_messages (message_id, chat, processed_at) SELECT key, chat, at FROM w WHERE key IS NOT NULL ORDER BY n
               ON CONFLICT DO NOTHING RETURNING message_id
             ), kept AS (
               SELECT * FROM w WHERE key IS NULL OR key IN (SELECT message_id FROM claimed)
             ), added AS (
               INSERT INTO inbox (chat, kind, payload, not_before, created_at) SELECT chat, kind, payload, at, at FROM kept ORDER BY n RETURNING 1
             )
             SELECT n FROM kept`,
      values: [JSON.stringify(rows)],
    });
    const kept = new Set(stored.map((r) => r.n));
    for (const r of rows) {
      if (kept.has(r.n)) results[r.d].chats.add(r.chat);
      else results[r.d].duplicates++;
    }
    rows.length = 0;
  };
  for (const [d, { work, at }] of deliveries.entries()) {
    for (const w of work) {
      const chat = workChat(w);
      const key = w.kind === 'message' ? messageKey(w.message.id) : null;
      if (key !== null && seen.has(key)) {
        results[d].duplicates++;
        continue;
      }
      if (key !== null) seen.add(key);
      if (w.kind === 'message' && w.message.attachment) {
        // In order: what waits is written first, then this message with its bytes.
        await flush();
        const claimed = await one(db, 'pg-claim-id', 'INSERT INTO processed_messages (message_id, chat, processed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1 AS ok', [key, chat, at]);
        if (!claimed) {
          results[d].duplicates++;
          continue;
        }
        await keepAttachment(db, w, at);
        await db.query({ name: 'pg-inbox-add', text: 'INSERT INTO inbox (chat, kind, payload, not_before, created_at) VALUES ($1, $2, $3, $4, $4)', values: [chat, w.kind, workPayload(w), at] });
        results[d].chats.add(chat);
        continue;
      }
      rows.push({ n: rows.length, d, chat, kind: w.kind, key, payload: JSON.parse(workPayload(w)), at: at.toISOString() });
    }
  }
  await flush();
  return results.map((r) => ({ chats: [...r.chats], duplicates: r.duplicates }));
}

/**
 * How turns are grouped (see {@link ChatGroups}): one group at a time, of 32 turns at most. One group at a time makes
 * the largest groups: measured on the bench (2 cores, local server), one server did most turns per second with one
 * (about 1,900), fewer with two (1,800), four (1,550) or eight (1,200), and left the most CPU to others.
 */
const TURN_GROUPS: GroupOptions = { groups: 1, maxGroup: 32 };

const ACTIVE = `status IN ('requested', 'confirmed')`;
/** PostgreSQL's code for an exclusion constraint violation (two consultations at one time). */
const EXCLUSION_VIOLATION = '23P01';
const UNIQUE_VIOLATION = '23505';

async function rows<T extends QueryResultRow>(db: Queryable, name: string, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>({ name, text, values })).rows;
}

async function one<T extends QueryResultRow>(db: Queryable, name: string, text: string, values: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(db, name, text, values))[0];
}

/** Splits `?schema=name` off a connection URL (pg does not know it). */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('the schema in DATABASE_URL must be a plain lower-case name');
  return { connectionString: parsed.toString(), schema };
}

/** All of Puente's state in one PostgreSQL schema. */
// Its DeskStore methods are handed to its desk object (storage/postgres/desk.ts), see delegateDesk below the class.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface PostgresStore extends DeskStore {}

export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;

  private readonly desk: PostgresDesk;

  private readonly groups: ChatGroups;

  private constructor(private readonly pool: Pool, readonly schema: string, groups: GroupOptions) {
    this.desk = new PostgresDesk(pool);
    // A chat's lock key: its name within this schema (escaped by the driver).
    this.groups = new ChatGroups(pool, (db, chat) => `hashtextextended(${db.escapeLiteral(`${schema}:${chat}`)}, 0)`, groups);
  }

  /**
   * Connects, creates the schema if needed and migrates it. `DATABASE_URL` may end with `?schema=name` to keep
   * Puente's tables in their own schema. Rejects with the connection error when the server does not answer.
   */
  static async connect(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
    const { connectionString, schema } = parseDatabaseUrl(url);
    // Every connection starts in Puente's schema (set at connect time, before any query).
    const pool = new Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, options: `-c search_path=${schema}` });
    // A connection that breaks while idle must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const client = await pool.connect();
    try {
      await migratePostgres(client, schema);
    } catch (err) {
      client.release();
      await pool.end();
      throw err;
    }
    client.release();
    return new PostgresStore(pool, schema, TURN_GROUPS);
  }

  /** Runs `fn` in a transaction; `begin` may add statements to the opening round trip (the chat's lock). */
  private transaction<T>(fn: (db: PoolClient) => Promise<T>, begin?: (db: PoolClient) => string): Promise<T> {
    return inTransaction(this.pool, fn, begin);
  }


  /**
   * Stores inbound work durably. Webhooks arriving while one is being stored are stored together next, in one
   * transaction (one commit for many); each caller hears only after that commit. Should that transaction fail, each
   * is stored on its own, so one bad delivery cannot refuse the others.
   */
  accept(work: readonly InboxWork[], at: Date): Promise<Accepted> {
    return new Promise<Accepted>((resolve, reject) => {
      this.accepting.push({ work, at, resolve, reject });
      if (!this.acceptRunning) void this.acceptWaiting();
    });
  }

  private readonly accepting: { work: readonly InboxWork[]; at: Date; resolve: (a: Accepted) => void; reject: (e: unknown) => void }[] = [];
  private acceptRunning = false;

  private async acceptWaiting(): Promise<void> {
    this.acceptRunning = true;
    try {
      while (this.accepting.length > 0) {
        const batch = this.accepting.splice(0, TURN_GROUPS.maxGroup);
        try {
          const results = await this.transaction((db) => storeWork(db, batch));
          batch.forEach((b, i) => b.resolve(results[i]));
        } catch (err) {
          if (batch.length === 1) {
            batch[0].reject(err);
            continue;
          }
          for (const b of batch) {
            await this.transaction((db) => storeWork(db, [b])).then(([result]) => b.resolve(result), b.reject);
          }
        }
      }
    } finally {
      this.acceptRunning = false;
    }
  }

  async chatsWithWork(now: Date, limit: number): Promise<string[]> {
    return (await rows<{ chat: string }>(this.pool, 'pg-inbox-chats', 'SELECT chat FROM inbox WHERE not_before <= $1 GROUP BY chat ORDER BY MIN(seq) LIMIT $2', [now, limit])).map((r) => r.chat);
  }

  async nextWorkAt(): Promise<Date | undefined> {
    return (await one<{ at: Date | null }>(this.pool, 'pg-inbox-next-at', 'SELECT MIN(not_before) AS at FROM inbox'))?.at ?? undefined;
  }

  /**
   * The chat's transaction, grouped with other chats' waiting at the same time (one commit for all, see
   * {@link ChatGroups}); it holds the chat's advisory lock whichever way it runs.
   */
  withChat<T>(chat: string, fn: (tx: ChatTx) => Promise<T>): Promise<T> {
    return this.groups.run(chat, async (db, batch) => {
      const tx = new PostgresChatTx(db, chat, batch);
      try {
        return await fn(tx);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if ((code === EXCLUSION_VIOLATION || code === UNIQUE_VIOLATION) && tx.lastSlot) throw new SlotTakenError(tx.lastSlot);
        throw err;
      } finally {
        tx.done = true;
      }
    });
  }

  claimOutbox(owner: string, now: Date, leaseMs: number, limit: number, chat?: string, options: { ignoreBackoff?: boolean } = {}): Promise<OutboxEntry[]> {
    return rows<OutboxRow>(
      this.pool, 'pg-claim-outbox',
      `WITH heads AS (
         SELECT DISTINCT ON (chat) id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND ($3::text IS NULL OR chat = $3) ORDER BY chat, id
       ), due AS (
         SELECT o.id FROM outbox o JOIN heads h ON h.id = o.id
         WHERE ($6 OR o.next_attempt_at <= $1) AND (o.lease_until IS NULL OR o.lease_until <= $1) ORDER BY o.id LIMIT $4 FOR UPDATE OF o SKIP LOCKED
       )
       UPDATE outbox o SET lease_until = $2, lease_owner = $5 FROM due WHERE o.id = due.id
       RETURNING o.id, o.chat, o.text, o.attempts, o.created_at, (SELECT c.last_inbound_at FROM contacts c WHERE c.chat = o.chat) AS last_inbound_at`,
      [now, new Date(now.getTime() + leaseMs), chat ?? null, limit, owner, options.ignoreBackoff === true],
    ).then((list) => list.map(toOutbox).sort((a, b) => a.id - b.id));
  }

  async markSent(ids: readonly number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    // One statement: sent replies recorded; the reply to an erasure (the only row left of that chat) deleted.
    await this.pool.query({
      name: 'pg-outbox-sent',
      text: `WITH forgotten AS (DELETE FROM outbox WHERE id = ANY($2::bigint[]) AND forget RETURNING id)
             UPDATE outbox SET sent_at = $1, attempts = attempts + 1, lease_until = NULL, lease_owner = NULL WHERE id = ANY($2::bigint[]) AND NOT forget`,
      values: [at, ids],
    });
  }

  async releaseOutbox(ids: readonly number[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query({
      name: 'pg-outbox-release',
      text: 'UPDATE outbox SET lease_until = NULL, lease_owner = NULL WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND sent_at IS NULL',
      values: [ids, owner],
    });
  }

  async claimOwners(now: Date): Promise<string[]> {
    return (await rows<{ owner: string }>(
      this.pool, 'pg-claim-owners',
      `SELECT lease_owner AS owner FROM outbox WHERE sent_at IS NULL AND lease_owner IS NOT NULL AND lease_until > $1
       UNION SELECT lease_owner FROM notifications WHERE sent_at IS NULL AND lease_owner IS NOT NULL AND lease_until > $1`,
      [now],
    )).map((r) => r.owner);
  }

  async releaseClaimsOf(owners: readonly string[]): Promise<number> {
    if (owners.length === 0) return 0;
    const row = await one<{ n: string }>(
      this.pool, 'pg-release-owners',
      `WITH o AS (UPDATE outbox SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ANY($1::text[]) AND sent_at IS NULL RETURNING 1),
            n AS (UPDATE notifications SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ANY($1::text[]) AND sent_at IS NULL RETURNING 1)
       SELECT (SELECT COUNT(*) FROM o) + (SELECT COUNT(*) FROM n) AS n`,
      [owners],
    );
    return Number(row?.n ?? 0);
  }

  async renewOutbox(ids: readonly number[], owner: string, now: Date, leaseMs: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<{ id: string }>({
      name: 'pg-outbox-renew',
      text: 'UPDATE outbox SET lease_until = $3 WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND sent_at IS NULL AND failed_at IS NULL RETURNING id',
      values: [ids, owner, new Date(now.getTime() + leaseMs)],
    });
    return result.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  async markSendFailed(id: number, error: string, retryAt: Date | undefined, at: Date): Promise<void> {
    await this.pool.query({
      name: 'pg-outbox-failed',
      text: `UPDATE outbox SET attempts = attempts + 1, last_error = $2, lease_until = NULL, lease_owner = NULL,
             next_attempt_at = COALESCE($3, next_attempt_at), failed_at = CASE WHEN $3::timestamptz IS NULL THEN $4::timestamptz ELSE NULL END WHERE id = $1`,
      values: [id, error.slice(0, 300), retryAt ?? null, at],
    });
  }

  async nextOutboxAt(): Promise<Date | undefined> {
    return (await one<{ at: Date | null }>(
      this.pool, 'pg-outbox-next-at',
      'SELECT MIN(next_attempt_at) AS at FROM (SELECT DISTINCT ON (chat) next_attempt_at FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY chat, id) heads',
    ))?.at ?? undefined;
  }

  async outboxState(id: number): Promise<boolean | 'failed'> {
    const row = await one<{ sent_at: Date | null; failed_at: Date | null }>(this.pool, 'pg-outbox-state', 'SELECT sent_at, failed_at FROM outbox WHERE id = $1', [id]);
    if (!row) return true; // an erasure reply, sent and forgotten
    return row.failed_at ? 'failed' : row.sent_at !== null;
  }

  async failedReplies(limit = 50): Promise<FailedReply[]> {
    return (await rows<FailedRow>(this.pool, 'pg-failed', 'SELECT id, chat, text, attempts, last_error, created_at, failed_at FROM outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC LIMIT $1', [limit])).map(toFailed);
  }

  async claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<NotificationRecord[]> {
    return (await rows<NotificationRow>(
      this.pool, 'pg-claim-notifications',
      `WITH due AS (
         SELECT id FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL
         AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) ORDER BY priority, id LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       UPDATE notifications n SET lease_until = $2, lease_owner = $4 FROM due WHERE n.id = due.id RETURNING n.*`,
      [now, new Date(now.getTime() + leaseMs), limit, owner],
    )).map(toNotification).sort((a, b) => a.priority - b.priority || a.id - b.id);
  }

  async markNotificationSent(id: number, at: Date): Promise<void> {
    await this.pool.query({ name: 'pg-notification-sent', text: 'UPDATE notifications SET sent_at = $1, attempts = attempts + 1, lease_until = NULL WHERE id = $2', values: [at, id] });
  }

  async markNotificationFailed(id: number, error: string, retryAt: Date | undefined, at: Date): Promise<void> {
    await this.pool.query({
      name: 'pg-notification-failed',
      text: `UPDATE notifications SET attempts = attempts + 1, last_error = $2, next_attempt_at = COALESCE($3, next_attempt_at),
             given_up_at = CASE WHEN $3::timestamptz IS NULL THEN $4::timestamptz ELSE NULL END, lease_until = NULL WHERE id = $1`,
      values: [id, error.slice(0, 300), retryAt ?? null, at],
    });
  }

  async notifications(limit = 100): Promise<NotificationRecord[]> {
    return (await rows<NotificationRow>(this.pool, 'pg-notifications', 'SELECT * FROM notifications ORDER BY id DESC LIMIT $1', [limit])).map(toNotification);
  }

  async nextNotificationAt(): Promise<Date | undefined> {
    return (await one<{ at: Date | null }>(this.pool, 'pg-next-notification', 'SELECT MIN(next_attempt_at) AS at FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL'))?.at ?? undefined;
  }

  async claimJob(name: string, now: Date, periodMs: number): Promise<boolean> {
    await this.pool.query({ name: 'pg-job-init', text: `INSERT INTO jobs (name, next_run_at) VALUES ($1, 'epoch') ON CONFLICT DO NOTHING`, values: [name] });
    const claimed = await one(this.pool, 'pg-job-claim', 'UPDATE jobs SET next_run_at = $2 WHERE name = $1 AND next_run_at <= $3 RETURNING name', [name, new Date(now.getTime() + periodMs), now]);
    return claimed !== undefined;
  }

  async acquireLease(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const row = await one(
      this.pool, 'pg-lease',
      `INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE leases.owner = EXCLUDED.owner OR leases.expires_at <= $4 RETURNING name`,
      [name, owner, new Date(now.getTime() + ttlMs), now],
    );
    return row !== undefined;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.pool.query('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
  }

  async openHandoffs(): Promise<HandoffRecord[]> {
    return (await rows<HandoffRow>(this.pool, 'pg-open-handoffs', `SELECT * FROM handoffs WHERE status = 'open' ORDER BY priority, created_at, id`)).map(toHandoff);
  }

  async handoff(id: number): Promise<HandoffRecord | undefined> {
    const row = await one<HandoffRow>(this.pool, 'pg-handoff', 'SELECT * FROM handoffs WHERE id = $1', [id]);
    return row ? toHandoff(row) : undefined;
  }

  async handoffsOf(chat: string): Promise<HandoffRecord[]> {
    return (await rows<HandoffRow>(this.pool, 'pg-handoffs-of', 'SELECT * FROM handoffs WHERE chat = $1 ORDER BY id DESC', [chat])).map(toHandoff);
  }

  async transcript(chat: string): Promise<TranscriptEntry[]> {
    return (await rows<TranscriptRow>(
      this.pool, 'pg-transcript',
      `SELECT m.id, m.direction, m.author, m.type, m.text, m.intent, m.created_at AS at, m.media_id, d.mime_type, d.size, d.filename
       FROM messages m LEFT JOIN media d ON d.id = m.media_id WHERE m.chat = $1 ORDER BY m.id`, [chat],
    )).map(toTranscript);
  }

  async consultation(id: number): Promise<ConsultationRecord | undefined> {
    const row = await one<ConsultationRow>(this.pool, 'pg-consultation', 'SELECT * FROM consultations WHERE id = $1', [id]);
    return row ? toConsultation(row) : undefined;
  }

  async consultations(range: { from?: Date; to?: Date } = {}): Promise<ConsultationRecord[]> {
    return (await rows<ConsultationRow>(
      this.pool, 'pg-consultations',
      `SELECT * FROM consultations WHERE COALESCE(start_at, created_at) >= $1 AND COALESCE(start_at, created_at) < $2 ORDER BY COALESCE(start_at, created_at), id`,
      [range.from ?? new Date(0), range.to ?? new Date(253402300799000)],
    )).map(toConsultation);
  }

  async effects(chat?: string): Promise<EffectRecord[]> {
    const list = await rows<{ id: string; chat: string; payload: Effect; at: Date }>(
      this.pool, 'pg-effects', 'SELECT id, chat, payload, created_at AS at FROM effects WHERE ($1::text IS NULL OR chat = $1) ORDER BY id', [chat ?? null],
    );
    return list.map((r) => ({ id: Number(r.id), chat: r.chat, effect: r.payload, at: iso(r.at) }));
  }

  async state(chat: string): Promise<ConversationState | undefined> {
    return (await one<{ state: ConversationState }>(this.pool, 'pg-state', 'SELECT state FROM conversations WHERE chat = $1', [chat]))?.state;
  }

  async inboundSince(from: Date): Promise<{ at: string; intent: string | null; lang: string | null }[]> {
    return (await rows<{ at: Date; intent: string | null; lang: string | null }>(
      this.pool, 'pg-inbound-since', `SELECT created_at AS at, intent, lang FROM messages WHERE direction = 'in' AND created_at >= $1 ORDER BY id`, [from],
    )).map((r) => ({ ...r, at: iso(r.at) }));
  }

  async unrecognised(from: Date, limit: number): Promise<{ text: string; lang: string | null; count: number }[]> {
    return (await rows<{ text: string; lang: string | null; count: string }>(
      this.pool, 'pg-unrecognised',
      // The language is the conversation's, not one short message's guess.
      `SELECT lower(trim(m.text)) AS text, MAX(COALESCE(c.lang, m.lang)) AS lang, COUNT(*) AS count FROM messages m LEFT JOIN contacts c ON c.chat = m.chat
       WHERE m.direction = 'in' AND m.intent = 'none' AND m.created_at >= $1 AND length(trim(m.text)) > 0
       GROUP BY lower(trim(m.text)) ORDER BY COUNT(*) DESC, MAX(m.id) DESC LIMIT $2`,
      [from, limit],
    )).map((r) => ({ ...r, count: Number(r.count) }));
  }

  purge(plan: RetentionPlan): Promise<PurgeCounts> {
    return this.transaction(async (db) => {
      const run = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0;
      const messages = await run('DELETE FROM messages WHERE created_at < $1', [plan.messagesBefore]);
      let other = 0;
      other += await run('DELETE FROM media WHERE created_at < $1', [plan.mediaBefore]);
      other += await run(
        `DELETE FROM notes WHERE created_at < $1 AND chat NOT IN (SELECT chat FROM handoffs WHERE status = 'open')
         AND chat NOT IN (SELECT chat FROM consultations WHERE ${ACTIVE})`,
        [plan.notesBefore],
      );
      other += await run('UPDATE audit SET chat = NULL, detail = NULL WHERE at < $1 AND (chat IS NOT NULL OR detail IS NOT NULL)', [plan.auditBefore]);
      other += await run('DELETE FROM staff_sessions WHERE expires_at < $1', [plan.expiredBefore]);
      other += await run('DELETE FROM sign_in_failures WHERE at < $1', [plan.signInFailuresBefore]);
      const contacts = await run(
        `DELETE FROM contacts WHERE last_seen_at < $1
         AND chat NOT IN (SELECT chat FROM handoffs WHERE status = 'open')
         AND chat NOT IN (SELECT chat FROM consultations WHERE ${ACTIVE})`,
        [plan.contactsSilentBefore],
      );
      const before = plan.housekeepingBefore;
      other += await run('DELETE FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < $1', [before]);
      other += await run('DELETE FROM effects WHERE created_at < $1', [before]);
      other += await run('DELETE FROM processed_messages WHERE processed_at < $1', [before]);
      other += await run('DELETE FROM notifications WHERE created_at < $1 AND (sent_at IS NOT NULL OR given_up_at IS NOT NULL OR recipient IS NULL)', [before]);
      other += await run(
        `UPDATE handoffs SET summary = '', name = NULL, details = NULL WHERE status = 'resolved' AND resolved_at < $1 AND (summary != '' OR name IS NOT NULL OR details IS NOT NULL)`,
        [plan.redactHandoffsBefore],
      );
      other += await run(
        `UPDATE consultations SET topic = NULL, preference = NULL WHERE NOT ${ACTIVE} AND updated_at < $1 AND (topic IS NOT NULL OR preference IS NOT NULL)`,
        [plan.redactConsultationsBefore],
      );
      return { messages, contacts, other };
    });
  }


  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async schemaVersion(): Promise<number> {
    return Number((await one<{ v: number | null }>(this.pool, 'pg-version', 'SELECT MAX(version) AS v FROM schema_migrations'))?.v ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Drops this store's schema and everything in it (tests only). */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }
}
delegateDesk(PostgresStore);

/** One chat's transaction on PostgreSQL. */
class PostgresChatTx implements ChatTx {
  done = false;
  /** The consultation time last written, to name it when the constraint refuses the commit. */
  lastSlot: Interval | undefined;

  /** `batch`: the group's, when this transaction runs in a group (its load and write go with the others'). */
  constructor(private readonly db: Queryable, readonly chat: string, private readonly batch?: TurnBatch) {}

  private live(): Queryable {
    if (this.done) throw new Error('transaction already finished');
    return this.db;
  }

  async nextInbox(now: Date): Promise<InboxItem | undefined> {
    const db = this.live();
    if (this.batch) return this.batch.nextInbox(this.chat, now);
    return (await nextInboxItems(db, [{ chat: this.chat, now }]))[0];
  }

  async finishInbox(seq: number): Promise<void> {
    const db = this.live();
    if (this.batch) await this.batch.finishInbox(this.chat, seq);
    else await finishInboxItems(db, [{ chat: this.chat, seq }]);
  }

  async schedule(work: InboxWork, notBefore: Date): Promise<void> {
    await keepAttachment(this.live(), work, new Date());
    await this.live().query({ name: 'pg-inbox-schedule', text: 'INSERT INTO inbox (chat, kind, payload, not_before, created_at) VALUES ($1, $2, $3, $4, now())', values: [this.chat, work.kind, workPayload(work), notBefore] });
  }

  /** The turn's load, with its message id claimed (see {@link loadTurns}); the chat's lock is held, so it is current. */
  async load(now: Date, claim?: string): Promise<TurnLoad> {
    const request = { chat: this.chat, now, claim };
    this.live();
    if (this.batch) return this.batch.load(request);
    return (await loadTurns(this.live(), [request]))[0];
  }

  /** Contact, state, transcript and replies in one statement (see {@link writeTurns}). */
  async writeTurn(write: TurnWrite): Promise<OutboxEntry[]> {
    const request = { chat: this.chat, write };
    this.live();
    if (this.batch) return this.batch.write(request);
    return (await writeTurns(this.live(), [request]))[0];
  }

  async state(): Promise<ConversationState | undefined> {
    return (await one<{ state: ConversationState }>(this.live(), 'pg-state', 'SELECT state FROM conversations WHERE chat = $1', [this.chat]))?.state;
  }

  async context(now: Date): Promise<TurnContext> {
    const db = this.live();
    const handoffs = await rows<HandoffRow>(
      db, 'pg-context-handoffs',
      `(SELECT * FROM handoffs WHERE chat = $1 AND status = 'open')
       UNION ALL
       (SELECT * FROM handoffs WHERE chat = $1 AND status = 'resolved' AND resolution IS DISTINCT FROM 'client-withdrew' ORDER BY resolved_at DESC, id DESC LIMIT 1)`,
      [this.chat],
    );
    const consultations = await rows<ConsultationRow & { mine: boolean }>(
      db, 'pg-context-consultations',
      `SELECT *, chat = $1 AS mine FROM consultations WHERE ${ACTIVE} AND (end_at > $2 OR (chat = $1 AND end_at IS NULL)) ORDER BY start_at NULLS LAST, id`,
      [this.chat, now],
    );
    return toTurnContext(
      handoffs.find((h) => h.status === 'open'),
      handoffs.find((h) => h.status === 'resolved'),
      consultations.filter((c) => c.mine),
      consultations.filter((c) => c.start_at && c.end_at).map((c) => ({ start: iso(c.start_at!), end: iso(c.end_at!) })),
    );
  }

  async saveState(state: ConversationState, at: Date): Promise<void> {
    await this.live().query({
      name: 'pg-save-state',
      text: `INSERT INTO conversations (chat, state, updated_at) VALUES ($1, $2, $3) ON CONFLICT (chat) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      values: [this.chat, JSON.stringify(state), at],
    });
  }

  async touchContact(at: Date, update: { name?: string; lang?: Lang; inbound?: boolean } = {}): Promise<void> {
    await this.live().query({
      name: 'pg-touch-contact',
      text: `INSERT INTO contacts (chat, name, lang, created_at, last_seen_at, last_inbound_at) VALUES ($1, $2, COALESCE($3, 'en'), $4, $4, $5)
             ON CONFLICT (chat) DO UPDATE SET name = COALESCE($2, contacts.name), lang = COALESCE($3, contacts.lang), last_seen_at = $4,
             last_inbound_at = COALESCE($5, contacts.last_inbound_at)`,
      values: [this.chat, update.name ?? null, update.lang ?? null, at, update.inbound ? at : null],
    });
  }

  async contact(): Promise<{ name?: string; lang: Lang } | undefined> {
    const row = await one<{ name: string | null; lang: Lang }>(this.live(), 'pg-contact', 'SELECT name, lang FROM contacts WHERE chat = $1', [this.chat]);
    return row ? { lang: row.lang, ...(row.name ? { name: row.name } : {}) } : undefined;
  }

  async addMessages(messages: readonly NewMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const values: unknown[] = [];
    const tuples = messages.map((m, i) => {
      values.push(this.chat, m.direction, m.author, m.messageId ? messageKey(m.messageId) : null, m.type, m.text, m.intent ?? null, m.confidence ?? null, m.lang ?? null, m.at, m.mediaId ?? null);
      const b = i * 11;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11})`;
    });
    await this.live().query(`INSERT INTO messages (chat, direction, author, message_id, type, text, intent, confidence, lang, created_at, media_id) VALUES ${tuples.join(', ')}`, values);
  }

  async enqueue(texts: readonly string[], at: Date, options: { forget?: boolean } = {}): Promise<OutboxEntry[]> {
    if (texts.length === 0) return [];
    const list = await rows<{ id: string; text: string; ord: string }>(
      this.live(), 'pg-enqueue',
      `INSERT INTO outbox (chat, text, created_at, next_attempt_at, forget) SELECT $1, t, $3, $3, $4 FROM unnest($2::text[]) WITH ORDINALITY AS u(t, ord) ORDER BY ord RETURNING id, text`,
      [this.chat, texts, at, options.forget === true],
    );
    return list.map((r) => ({ id: Number(r.id), chat: this.chat, text: r.text, attempts: 0, createdAt: at.toISOString() })).sort((a, b) => a.id - b.id);
  }

  async recordEffect(effect: Effect, at: Date): Promise<void> {
    await this.live().query({ name: 'pg-effect', text: 'INSERT INTO effects (chat, type, payload, created_at) VALUES ($1, $2, $3, $4)', values: [this.chat, effect.type, JSON.stringify(effect), at] });
  }

  async openHandoff(): Promise<HandoffRecord | undefined> {
    const row = await one<HandoffRow>(this.live(), 'pg-open-handoff', `SELECT * FROM handoffs WHERE chat = $1 AND status = 'open'`, [this.chat]);
    return row ? toHandoff(row) : undefined;
  }

  async insertHandoff(h: NewHandoff): Promise<HandoffRecord> {
    const row = await one<HandoffRow>(
      this.live(), 'pg-insert-handoff',
      `INSERT INTO handoffs (chat, kind, priority, lang, name, summary, details, consultation_id, created_at, activity_at, last_staff_at, replied_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10) RETURNING *`,
      [this.chat, h.kind, HANDOFF_PRIORITY[h.kind], h.lang, h.name ?? null, h.summary, h.details ? JSON.stringify(h.details) : null, h.consultationId ?? null, h.at, h.lastStaffAt ?? null],
    );
    return toHandoff(row!);
  }

  async updateHandoff(id: number, p: HandoffPatch): Promise<HandoffRecord> {
    const row = await one<HandoffRow>(
      this.live(), 'pg-update-handoff',
      `UPDATE handoffs SET kind = COALESCE($3, kind), priority = COALESCE($4, priority), lang = COALESCE($5, lang), name = COALESCE($6, name),
       summary = COALESCE($7, summary), details = COALESCE($8, details), consultation_id = COALESCE($9, consultation_id),
       activity_at = COALESCE($10, activity_at), last_staff_at = COALESCE($11, last_staff_at), claimed_by = COALESCE($12, claimed_by),
       status = COALESCE($13, status), resolved_at = COALESCE($14, resolved_at), resolution = COALESCE($15, resolution),
       replied_at = COALESCE(replied_at, $16)
       WHERE id = $1 AND chat = $2 RETURNING *`,
      [
        id, this.chat, p.kind ?? null, p.kind ? HANDOFF_PRIORITY[p.kind] : null, p.lang ?? null, p.name ?? null, p.summary ?? null,
        p.details ? JSON.stringify(p.details) : null, p.consultationId ?? null, p.activityAt ?? null, p.lastStaffAt ?? null, p.claimedBy ?? null,
        p.status ?? null, p.resolvedAt ?? null, p.resolution ?? null, p.repliedAt ?? null,
      ],
    );
    if (!row) throw new Error(`handoff ${id} is not in this chat`);
    return toHandoff(row);
  }

  async consultation(id: number): Promise<ConsultationRecord | undefined> {
    const row = await one<ConsultationRow>(this.live(), 'pg-consultation', 'SELECT * FROM consultations WHERE id = $1', [id]);
    return row ? toConsultation(row) : undefined;
  }

  async upcoming(now: Date): Promise<ConsultationRecord[]> {
    return (await rows<ConsultationRow>(
      this.live(), 'pg-upcoming',
      `SELECT * FROM consultations WHERE chat = $1 AND ${ACTIVE} AND (end_at IS NULL OR end_at > $2) ORDER BY start_at NULLS LAST, id`,
      [this.chat, now],
    )).map(toConsultation);
  }

  private async ensureFree(slot: Interval, self: number): Promise<void> {
    this.lastSlot = slot;
    const taken = await one(this.live(), 'pg-overlap', `SELECT id FROM consultations WHERE ${ACTIVE} AND start_at < $1 AND end_at > $2 AND id != $3 LIMIT 1`, [slot.end, slot.start, self]);
    if (taken) throw new SlotTakenError(slot);
  }

  async insertConsultation(c: NewConsultation): Promise<ConsultationRecord> {
    if (c.slot) await this.ensureFree(c.slot, 0);
    const row = await one<ConsultationRow>(
      this.live(), 'pg-insert-consultation',
      `INSERT INTO consultations (chat, status, mode, name, topic, lang, start_at, end_at, preference, created_at, updated_at)
       VALUES ($1, 'requested', $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
      [this.chat, c.mode, c.name ?? null, c.topic ?? null, c.lang, c.slot?.start ?? null, c.slot?.end ?? null, c.preference ?? null, c.at],
    );
    return toConsultation(row!);
  }

  async updateConsultation(id: number, from: ConsultationStatus, p: ConsultationPatch): Promise<ConsultationRecord | undefined> {
    const to = p.status ?? from;
    if (p.slot && (to === 'requested' || to === 'confirmed')) await this.ensureFree(p.slot, id);
    const row = await one<ConsultationRow>(
      this.live(), 'pg-update-consultation',
      `UPDATE consultations SET status = COALESCE($4, status),
       start_at = CASE WHEN $5 THEN $6::timestamptz ELSE start_at END, end_at = CASE WHEN $5 THEN $7::timestamptz ELSE end_at END,
       preference = CASE WHEN $8 THEN $9 ELSE preference END, note = COALESCE($10, note), updated_at = $11
       WHERE id = $1 AND chat = $2 AND status = $3 RETURNING *`,
      [id, this.chat, from, p.status ?? null, p.slot !== undefined, p.slot?.start ?? null, p.slot?.end ?? null, p.preference !== undefined, p.preference ?? null, p.note ?? null, p.at],
    );
    return row ? toConsultation(row) : undefined;
  }

  async addNotifications(notifications: readonly NewNotification[]): Promise<void> {
    for (const n of notifications) {
      await this.live().query({
        name: 'pg-add-notification',
        text: `INSERT INTO notifications (chat, handoff_id, event, subject, priority, recipient, text, created_at, not_before, next_attempt_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
        values: [n.chat ?? null, n.handoffId ?? null, n.event, n.subject ?? null, n.priority, n.recipient ?? null, n.text, n.at, n.notBefore],
      });
    }
  }

  async dropPendingNotifications(subject: string): Promise<number> {
    const result = await this.live().query({
      name: 'pg-drop-notifications',
      text: 'DELETE FROM notifications WHERE subject = $1 AND sent_at IS NULL AND given_up_at IS NULL AND (lease_until IS NULL OR lease_until <= now())',
      values: [subject],
    });
    return result.rowCount ?? 0;
  }

  async erase(scope: ErasureScope): Promise<void> {
    const db = this.live();
    const chat = this.chat;
    if (scope.consultations === 'anonymise') {
      await db.query(
        `UPDATE consultations SET name = NULL, topic = NULL, preference = NULL, note = CASE WHEN note = $1 THEN note ELSE NULL END, chat = $2 WHERE chat = $3`,
        [ERASURE_NOTE, ERASED_CHAT, chat],
      );
    }
    if (scope.handoffs === 'delete') {
      await db.query('DELETE FROM notifications WHERE chat = $1 OR handoff_id IN (SELECT id FROM handoffs WHERE chat = $1)', [chat]);
      await db.query('DELETE FROM handoffs WHERE chat = $1', [chat]);
    }
    if (scope.notes === 'delete') await db.query('DELETE FROM notes WHERE chat = $1', [chat]);
    if (scope.audit === 'detach') await db.query('UPDATE audit SET chat = $1, detail = NULL WHERE chat = $2', [ERASED_CHAT, chat]);
    if (scope.personalData) {
      await db.query('DELETE FROM media WHERE chat = $1', [chat]);
      await db.query('DELETE FROM effects WHERE chat = $1', [chat]);
      await db.query('DELETE FROM outbox WHERE chat = $1', [chat]);
      await db.query('DELETE FROM inbox WHERE chat = $1', [chat]);
      await db.query('DELETE FROM contacts WHERE chat = $1', [chat]); // cascades to conversation state and messages
    }
    if (scope.processedIds === 'detach') await db.query('UPDATE processed_messages SET chat = $1 WHERE chat = $2', [ERASED_CHAT, chat]);
  }
  async addNote(note: NewNote): Promise<NoteRecord> {
    return addNote(this.live(), this.chat, note);
  }

  async addAudit(entry: Omit<NewAudit, 'chat'>): Promise<void> {
    await addAudit(this.live(), this.chat, entry);
  }

  async addMedia(media: NewMedia): Promise<number> {
    return addMedia(this.live(), this.chat, media);
  }

  async mediaFor(messageId: string): Promise<number | undefined> {
    return mediaFor(this.live(), this.chat, messageId);
  }
}
