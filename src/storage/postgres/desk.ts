/**
 * The staff desk's part of the storage port on PostgreSQL: accounts, sessions, sign-in failures (shared by every
 * server), audit, notes, media, clients, settings and answers marked wrong.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { ANSWER_COLUMNS, CLIENT_COLUMNS, NOT_ANSWERS } from '../desk-sql';
import { inTransaction, type Queryable } from './transaction';
import type {
  AnswerSample, AuditEntry, ClientSummary, ConsultationRecord, DeskStore, MediaRecord, NewAudit, NewMedia, NewNote, NewSession, NoteRecord,
  SessionRecord, StaffAccount, StaffCredentials, StaffRole,
} from '../../store';
import {
  iso, likePattern, messageKey, phoneDigits, toAnswer, toAudit, toClient, toConsultation, toCredentials, toMedia, toNote, toStaff,
  type AnswerRow, type AuditRow, type ClientRow, type ConsultationRow, type MediaRow, type NoteRow, type StaffRow,
} from '../rows';

const UNIQUE_VIOLATION = '23505';
async function rows<T extends QueryResultRow>(db: Queryable, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, values)).rows;
}

async function one<T extends QueryResultRow>(db: Queryable, text: string, values: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(db, text, values))[0];
}

/** The desk operations of {@link DeskStore} on a PostgreSQL pool. */
export class PostgresDesk implements DeskStore {
  constructor(private readonly pool: Pool) {}

  private transaction<T>(fn: (db: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }


  async staffAccounts(): Promise<StaffAccount[]> {
    return (await rows<StaffRow>(this.pool, 'SELECT * FROM staff WHERE removed_at IS NULL ORDER BY lower(name)')).map(toStaff);
  }

  async staffByName(name: string): Promise<StaffCredentials | undefined> {
    const row = await one<StaffRow>(this.pool, 'SELECT * FROM staff WHERE removed_at IS NULL AND lower(name) = lower($1)', [name]);
    return row ? toCredentials(row) : undefined;
  }

  async addStaff(a: { name: string; role: StaffRole; passwordHash: string; at: string }): Promise<StaffAccount | undefined> {
    try {
      const row = await one<StaffRow>(
        this.pool, 'INSERT INTO staff (name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *', [a.name, a.role, a.passwordHash, a.at],
      );
      return row ? toStaff(row) : undefined;
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
      throw err;
    }
  }

  setStaffPassword(id: number, passwordHash: string, at: string): Promise<void> {
    return this.transaction(async (db) => {
      await db.query('UPDATE staff SET password_hash = $1, updated_at = $2 WHERE id = $3 AND removed_at IS NULL', [passwordHash, at, id]);
      await db.query('DELETE FROM staff_sessions WHERE staff_id = $1', [id]);
    });
  }

  removeStaff(id: number, at: string): Promise<boolean> {
    return this.transaction(async (db) => {
      const removed = (await db.query('UPDATE staff SET removed_at = $1, updated_at = $1 WHERE id = $2 AND removed_at IS NULL', [at, id])).rowCount ?? 0;
      await db.query('DELETE FROM staff_sessions WHERE staff_id = $1', [id]);
      return removed > 0;
    });
  }

  async createSession(s: NewSession): Promise<void> {
    await this.pool.query('INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [s.tokenHash, s.staffId, s.csrf, s.at, s.expiresAt]);
  }

  async session(tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
    const row = await one<StaffRow & { csrf: string; expires_at: Date }>(
      this.pool,
      `SELECT s.id, s.name, s.role, s.password_hash, s.created_at, x.csrf, x.expires_at FROM staff_sessions x JOIN staff s ON s.id = x.staff_id
       WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.removed_at IS NULL`,
      [tokenHash, now],
    );
    return row ? { staff: toStaff(row), csrf: row.csrf, expiresAt: iso(row.expires_at) } : undefined;
  }

  async endSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async signInFailures(keys: readonly string[], since: Date): Promise<{ key: string; at: string }[]> {
    const list = await rows<{ key: string; at: Date }>(this.pool, 'SELECT key, at FROM sign_in_failures WHERE key = ANY($1::text[]) AND at >= $2 ORDER BY at, id', [keys, since]);
    return list.map((r) => ({ key: r.key, at: iso(r.at) }));
  }

  recordSignInFailure(keys: readonly string[], at: Date, forgetBefore: Date): Promise<void> {
    return this.transaction(async (db) => {
      await db.query('DELETE FROM sign_in_failures WHERE at < $1', [forgetBefore]);
      await db.query('INSERT INTO sign_in_failures (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k', [keys, at]);
    });
  }

  async clearSignInFailures(keys: readonly string[]): Promise<void> {
    await this.pool.query('DELETE FROM sign_in_failures WHERE key = ANY($1::text[])', [keys]);
  }

  async addAudit(entry: NewAudit): Promise<void> {
    await addAudit(this.pool, entry.chat ?? null, entry);
  }

  async audit(filter: { chat?: string; limit: number }): Promise<AuditEntry[]> {
    const list = filter.chat !== undefined
      ? await rows<AuditRow>(this.pool, 'SELECT * FROM audit WHERE chat = $1 ORDER BY id DESC LIMIT $2', [filter.chat, filter.limit])
      : await rows<AuditRow>(this.pool, 'SELECT * FROM audit ORDER BY id DESC LIMIT $1', [filter.limit]);
    return list.map(toAudit);
  }

  async notesOf(chat: string): Promise<NoteRecord[]> {
    return (await rows<NoteRow>(this.pool, 'SELECT * FROM notes WHERE chat = $1 ORDER BY created_at, id', [chat])).map(toNote);
  }

  async media(id: number): Promise<MediaRecord | undefined> {
    const row = await one<MediaRow>(this.pool, 'SELECT * FROM media WHERE id = $1', [id]);
    return row ? toMedia(row) : undefined;
  }

  async clients(query: { q?: string; limit: number }): Promise<ClientSummary[]> {
    const q = query.q?.trim();
    if (!q) return (await rows<ClientRow>(this.pool, `SELECT ${CLIENT_COLUMNS} FROM contacts c ORDER BY c.last_seen_at DESC LIMIT $1`, [query.limit])).map(toClient);
    const list = await rows<ClientRow>(
      this.pool,
      `SELECT ${CLIENT_COLUMNS},
         (SELECT m.text FROM messages m WHERE m.chat = c.chat AND m.author = 'client' AND m.text ILIKE $1 ESCAPE '\\' ORDER BY m.id DESC LIMIT 1) AS match
       FROM contacts c
       WHERE c.name ILIKE $1 ESCAPE '\\' OR EXISTS (SELECT 1 FROM consultations k WHERE k.chat = c.chat AND k.name ILIKE $1 ESCAPE '\\')
           OR EXISTS (SELECT 1 FROM handoffs h WHERE h.chat = c.chat AND h.name ILIKE $1 ESCAPE '\\') OR ($2::text IS NOT NULL AND c.chat LIKE '%' || $2 || '%')
         OR EXISTS (SELECT 1 FROM messages m WHERE m.chat = c.chat AND m.author = 'client' AND m.text ILIKE $1 ESCAPE '\\')
         OR EXISTS (SELECT 1 FROM notes n WHERE n.chat = c.chat AND n.text ILIKE $1 ESCAPE '\\')
       ORDER BY c.last_seen_at DESC LIMIT $3`,
      [likePattern(q), phoneDigits(q) ?? null, query.limit],
    );
    return list.map(toClient);
  }

  async client(chat: string): Promise<ClientSummary | undefined> {
    const row = await one<ClientRow>(this.pool, `SELECT ${CLIENT_COLUMNS} FROM contacts c WHERE c.chat = $1`, [chat]);
    return row ? toClient(row) : undefined;
  }

  async consultationsOf(chat: string): Promise<ConsultationRecord[]> {
    return (await rows<ConsultationRow>(this.pool, 'SELECT * FROM consultations WHERE chat = $1 ORDER BY COALESCE(start_at, created_at) DESC, id DESC', [chat])).map(toConsultation);
  }

  async lastClientMessages(chat: string, limit: number): Promise<{ text: string; at: string }[]> {
    const list = await rows<{ text: string; at: Date }>(
      this.pool, `SELECT text, created_at AS at FROM messages WHERE chat = $1 AND author = 'client' AND length(trim(text)) > 0 ORDER BY id DESC LIMIT $2`, [chat, limit],
    );
    return list.map((r) => ({ text: r.text, at: iso(r.at) }));
  }

  async setting(name: string): Promise<string | undefined> {
    return (await one<{ value: string }>(this.pool, 'SELECT value FROM settings WHERE name = $1', [name]))?.value;
  }

  async initSetting(name: string, value: string, at: Date): Promise<string> {
    await this.pool.query('INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, value, at]);
    return (await this.setting(name))!;
  }

  async putSetting(name: string, value: string, at: Date): Promise<void> {
    await this.pool.query(
      'INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at',
      [name, value, at],
    );
  }

  async answers(from: Date, minConfidence: number, limit: number): Promise<AnswerSample[]> {
    const list = await rows<AnswerRow>(
      this.pool,
      `SELECT ${ANSWER_COLUMNS} FROM messages m LEFT JOIN contacts c ON c.chat = m.chat LEFT JOIN answer_marks k ON k.message_id = m.id
       WHERE m.author = 'client' AND m.created_at >= $1 AND m.confidence >= $2 AND m.intent IS NOT NULL AND strpos(m.intent, ':') = 0
       AND m.intent NOT IN ${NOT_ANSWERS} AND length(trim(m.text)) > 0 ORDER BY m.id DESC LIMIT $3`,
      [from, minConfidence, limit],
    );
    return list.map(toAnswer);
  }

  async markedAnswers(from: Date): Promise<AnswerSample[]> {
    const list = await rows<AnswerRow>(
      this.pool,
      `SELECT ${ANSWER_COLUMNS} FROM answer_marks k JOIN messages m ON m.id = k.message_id LEFT JOIN contacts c ON c.chat = m.chat
       WHERE m.created_at >= $1 ORDER BY m.id DESC`,
      [from],
    );
    return list.map(toAnswer);
  }

  async markAnswer(messageId: number, by: string, at: Date): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO answer_marks (message_id, marked_by, marked_at) SELECT id, $2, $3 FROM messages WHERE id = $1 AND author = 'client'
       ON CONFLICT (message_id) DO UPDATE SET message_id = EXCLUDED.message_id RETURNING message_id`,
      [messageId, by, at],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async unmarkAnswer(messageId: number): Promise<void> {
    await this.pool.query('DELETE FROM answer_marks WHERE message_id = $1', [messageId]);
  }

  async conversationLanguages(from: Date): Promise<{ lang: string; count: number }[]> {
    const list = await rows<{ lang: string; count: string }>(
      this.pool,
      `SELECT c.lang AS lang, COUNT(*) AS count FROM contacts c WHERE EXISTS (SELECT 1 FROM messages m WHERE m.chat = c.chat AND m.author = 'client' AND m.created_at >= $1)
       GROUP BY c.lang ORDER BY count DESC, c.lang`,
      [from],
    );
    return list.map((r) => ({ lang: r.lang, count: Number(r.count) }));
  }
}

/** Writes an audit entry on `db` (a transaction's client or the pool). */
export async function addAudit(db: Queryable, chat: string | null, e: Omit<NewAudit, 'chat'>): Promise<void> {
  await db.query(
    'INSERT INTO audit (at, actor, action, chat, handoff_id, consultation_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [e.at, e.actor, e.action, chat, e.handoffId ?? null, e.consultationId ?? null, e.detail ?? null],
  );
}

export async function addNote(db: Queryable, chat: string, n: NewNote): Promise<NoteRecord> {
  const row = await one<NoteRow>(db, 'INSERT INTO notes (chat, handoff_id, author, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *', [chat, n.handoffId ?? null, n.author, n.text, n.at]);
  return toNote(row!);
}

export async function addMedia(db: Queryable, chat: string, m: NewMedia): Promise<number> {
  const row = await one<{ id: string }>(
    db, 'INSERT INTO media (chat, message_key, mime_type, size, filename, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [chat, messageKey(m.messageId), m.mimeType, m.data.length, m.filename ?? null, m.data, m.at],
  );
  return Number(row!.id);
}

export async function mediaFor(db: Queryable, chat: string, messageId: string): Promise<number | undefined> {
  const row = await one<{ id: string }>(db, 'SELECT id FROM media WHERE chat = $1 AND message_key = $2 ORDER BY id DESC LIMIT 1', [chat, messageKey(messageId)]);
  return row ? Number(row.id) : undefined;
}
