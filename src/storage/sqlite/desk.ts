/**
 * The staff desk's part of the storage port on SQLite: accounts, sessions, sign-in failures, audit, notes, media,
 * clients, settings and answers marked wrong. Statements run on the store's one connection, in its order.
 */
import type {
  AnswerSample, AuditEntry, ClientSummary, ConsultationRecord, DeskStore, MediaRecord, NewAudit, NewMedia, NewNote, NewSession, NoteRecord,
  SessionRecord, StaffAccount, StaffCredentials, StaffRole,
} from '../../store';
import {
  likePattern, messageKey, phoneDigits, toAnswer, toAudit, toClient, toConsultation, toCredentials, toMedia, toNote, toStaff,
  type AnswerRow, type AuditRow, type ClientRow, type ConsultationRow, type MediaRow, type NoteRow, type StaffRow,
} from '../rows';
import { ANSWER_COLUMNS, CLIENT_COLUMNS, NOT_ANSWERS } from '../desk-sql';
import type { Db } from './database';

function statements(db: Db) {
  return {
    staffAll: db.prepare<[], StaffRow>('SELECT * FROM staff WHERE removed_at IS NULL ORDER BY lower(name)'),
    staffByName: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE removed_at IS NULL AND lower(name) = lower(?)'),
    staffById: db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?'),
    staffAdd: db.prepare('INSERT INTO staff (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    staffPassword: db.prepare('UPDATE staff SET password_hash = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL'),
    staffRemove: db.prepare('UPDATE staff SET removed_at = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL'),
    sessionsOf: db.prepare('DELETE FROM staff_sessions WHERE staff_id = ?'),
    sessionAdd: db.prepare('INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    session: db.prepare<[string, string], StaffRow & { csrf: string; expires_at: string }>(
      `SELECT s.id, s.name, s.role, s.password_hash, s.created_at, x.csrf, x.expires_at FROM staff_sessions x JOIN staff s ON s.id = x.staff_id
       WHERE x.token_hash = ? AND x.expires_at > ? AND s.removed_at IS NULL`,
    ),
    sessionEnd: db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?'),
    failureAdd: db.prepare('INSERT INTO sign_in_failures (key, at) VALUES (?, ?)'),
    failureForget: db.prepare('DELETE FROM sign_in_failures WHERE at < ?'),
    failureClear: db.prepare('DELETE FROM sign_in_failures WHERE key = ?'),
    failuresOf: db.prepare<[string, string], { key: string; at: string }>('SELECT key, at FROM sign_in_failures WHERE key = ? AND at >= ? ORDER BY at, id'),
    auditAdd: db.prepare(
      'INSERT INTO audit (at, actor, action, chat, handoff_id, consultation_id, detail) VALUES (@at, @actor, @action, @chat, @handoffId, @consultationId, @detail)',
    ),
    auditOf: db.prepare<[string, number], AuditRow>('SELECT * FROM audit WHERE chat = ? ORDER BY id DESC LIMIT ?'),
    auditAll: db.prepare<[number], AuditRow>('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
    noteAdd: db.prepare('INSERT INTO notes (chat, handoff_id, author, text, created_at) VALUES (?, ?, ?, ?, ?)'),
    note: db.prepare<[number], NoteRow>('SELECT * FROM notes WHERE id = ?'),
    notesOf: db.prepare<[string], NoteRow>('SELECT * FROM notes WHERE chat = ? ORDER BY created_at, id'),
    mediaAdd: db.prepare('INSERT INTO media (chat, message_key, mime_type, size, filename, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    mediaFor: db.prepare<[string, string], { id: number }>('SELECT id FROM media WHERE chat = ? AND message_key = ? ORDER BY id DESC LIMIT 1'),
    media: db.prepare<[number], MediaRow>('SELECT * FROM media WHERE id = ?'),
    client: db.prepare<[string], ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM contacts c WHERE c.chat = ?`),
    consultationsOf: db.prepare<[string], ConsultationRow>('SELECT * FROM consultations WHERE chat = ? ORDER BY COALESCE(start_at, created_at) DESC, id DESC'),
    lastClientMessages: db.prepare<[string, number], { text: string; at: string }>(
      `SELECT text, created_at AS at FROM messages WHERE chat = ? AND author = 'client' AND length(trim(text)) > 0 ORDER BY id DESC LIMIT ?`,
    ),
    setting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?'),
    settingInit: db.prepare('INSERT OR IGNORE INTO settings (name, value, updated_at) VALUES (?, ?, ?)'),
    settingPut: db.prepare(
      'INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ),
    answers: db.prepare<[string, number, number], AnswerRow>(
      `SELECT ${ANSWER_COLUMNS}
       FROM messages m LEFT JOIN contacts c ON c.chat = m.chat LEFT JOIN answer_marks k ON k.message_id = m.id
       WHERE m.author = 'client' AND m.created_at >= ? AND m.confidence >= ? AND m.intent IS NOT NULL AND instr(m.intent, ':') = 0
       AND m.intent NOT IN ${NOT_ANSWERS} AND length(trim(m.text)) > 0 ORDER BY m.id DESC LIMIT ?`,
    ),
    marked: db.prepare<[string], AnswerRow>(
      `SELECT ${ANSWER_COLUMNS}
       FROM answer_marks k JOIN messages m ON m.id = k.message_id LEFT JOIN contacts c ON c.chat = m.chat WHERE m.created_at >= ? ORDER BY m.id DESC`,
    ),
    isClientMessage: db.prepare<[number], { one: number }>(`SELECT 1 AS one FROM messages WHERE id = ? AND author = 'client'`),
    mark: db.prepare('INSERT INTO answer_marks (message_id, marked_by, marked_at) VALUES (?, ?, ?) ON CONFLICT (message_id) DO NOTHING'),
    unmark: db.prepare('DELETE FROM answer_marks WHERE message_id = ?'),
    clientsRecent: db.prepare<[number], ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM contacts c ORDER BY c.last_seen_at DESC LIMIT ?`),
    clientsFound: db.prepare<{ like: string; digits: string | null; limit: number }, ClientRow>(
      `SELECT ${CLIENT_COLUMNS},
         (SELECT m.text FROM messages m WHERE m.chat = c.chat AND m.author = 'client' AND m.text LIKE @like ESCAPE '\\' ORDER BY m.id DESC LIMIT 1) AS match
       FROM contacts c
       WHERE c.name LIKE @like ESCAPE '\\' OR EXISTS (SELECT 1 FROM consultations k WHERE k.chat = c.chat AND k.name LIKE @like ESCAPE '\\')
         OR EXISTS (SELECT 1 FROM handoffs h WHERE h.chat = c.chat AND h.name LIKE @like ESCAPE '\\') OR (@digits IS NOT NULL AND c.chat LIKE '%' || @digits || '%')
         OR EXISTS (SELECT 1 FROM messages m WHERE m.chat = c.chat AND m.author = 'client' AND m.text LIKE @like ESCAPE '\\')
         OR EXISTS (SELECT 1 FROM notes n WHERE n.chat = c.chat AND n.text LIKE @like ESCAPE '\\')
       ORDER BY c.last_seen_at DESC LIMIT @limit`,
    ),
    languages: db.prepare<[string], { lang: string; count: number }>(
      `SELECT c.lang AS lang, COUNT(*) AS count FROM contacts c WHERE EXISTS (SELECT 1 FROM messages m WHERE m.chat = c.chat AND m.author = 'client' AND m.created_at >= ?)
       GROUP BY c.lang ORDER BY count DESC, c.lang`,
    ),
  };
}

export type DeskStatements = ReturnType<typeof statements>;

/** Runs a task in the store's order. */
type Run = <T>(task: () => T) => Promise<T>;

/** The desk operations of {@link DeskStore} on one SQLite connection. */
export class SqliteDesk implements DeskStore {
  readonly q: DeskStatements;

  constructor(private readonly db: Db, private readonly run: Run) {
    this.q = statements(db);
  }

  staffAccounts(): Promise<StaffAccount[]> {
    return this.run(() => this.q.staffAll.all().map(toStaff));
  }

  staffByName(name: string): Promise<StaffCredentials | undefined> {
    return this.run(() => {
      const row = this.q.staffByName.get(name);
      return row ? toCredentials(row) : undefined;
    });
  }

  addStaff(a: { name: string; role: StaffRole; passwordHash: string; at: string }): Promise<StaffAccount | undefined> {
    return this.run(() => {
      if (this.q.staffByName.get(a.name)) return undefined;
      const id = Number(this.q.staffAdd.run(a.name, a.role, a.passwordHash, a.at, a.at).lastInsertRowid);
      return toStaff(this.q.staffById.get(id)!);
    });
  }

  setStaffPassword(id: number, passwordHash: string, at: string): Promise<void> {
    return this.run(() => this.db.transaction(() => {
      this.q.staffPassword.run(passwordHash, at, id);
      this.q.sessionsOf.run(id);
    }).immediate());
  }

  removeStaff(id: number, at: string): Promise<boolean> {
    return this.run(() => this.db.transaction(() => {
      const removed = this.q.staffRemove.run(at, at, id).changes > 0;
      this.q.sessionsOf.run(id);
      return removed;
    }).immediate());
  }

  createSession(s: NewSession): Promise<void> {
    return this.run(() => void this.q.sessionAdd.run(s.tokenHash, s.staffId, s.csrf, s.at, s.expiresAt));
  }

  session(tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
    return this.run(() => {
      const row = this.q.session.get(tokenHash, now.toISOString());
      return row ? { staff: toStaff(row), csrf: row.csrf, expiresAt: row.expires_at } : undefined;
    });
  }

  endSession(tokenHash: string): Promise<void> {
    return this.run(() => void this.q.sessionEnd.run(tokenHash));
  }

  signInFailures(keys: readonly string[], since: Date): Promise<{ key: string; at: string }[]> {
    return this.run(() => keys.flatMap((key) => this.q.failuresOf.all(key, since.toISOString())));
  }

  recordSignInFailure(keys: readonly string[], at: Date, forgetBefore: Date): Promise<void> {
    return this.run(() => this.db.transaction(() => {
      this.q.failureForget.run(forgetBefore.toISOString());
      for (const key of keys) this.q.failureAdd.run(key, at.toISOString());
    }).immediate());
  }

  clearSignInFailures(keys: readonly string[]): Promise<void> {
    return this.run(() => {
      for (const key of keys) this.q.failureClear.run(key);
    });
  }

  addAudit(entry: NewAudit): Promise<void> {
    return this.run(() => addAudit(this.q, entry.chat ?? null, entry));
  }

  audit(filter: { chat?: string; limit: number }): Promise<AuditEntry[]> {
    return this.run(() => (filter.chat !== undefined ? this.q.auditOf.all(filter.chat, filter.limit) : this.q.auditAll.all(filter.limit)).map(toAudit));
  }

  notesOf(chat: string): Promise<NoteRecord[]> {
    return this.run(() => this.q.notesOf.all(chat).map(toNote));
  }

  media(id: number): Promise<MediaRecord | undefined> {
    return this.run(() => {
      const row = this.q.media.get(id);
      return row ? toMedia(row) : undefined;
    });
  }

  clients(query: { q?: string; limit: number }): Promise<ClientSummary[]> {
    return this.run(() => {
      const q = query.q?.trim();
      if (!q) return this.q.clientsRecent.all(query.limit).map(toClient);
      return this.q.clientsFound.all({ like: likePattern(q), digits: phoneDigits(q) ?? null, limit: query.limit }).map(toClient);
    });
  }

  client(chat: string): Promise<ClientSummary | undefined> {
    return this.run(() => {
      const row = this.q.client.get(chat);
      return row ? toClient(row) : undefined;
    });
  }

  consultationsOf(chat: string): Promise<ConsultationRecord[]> {
    return this.run(() => this.q.consultationsOf.all(chat).map(toConsultation));
  }

  lastClientMessages(chat: string, limit: number): Promise<{ text: string; at: string }[]> {
    return this.run(() => this.q.lastClientMessages.all(chat, limit));
  }

  setting(name: string): Promise<string | undefined> {
    return this.run(() => this.q.setting.get(name)?.value);
  }

  initSetting(name: string, value: string, at: Date): Promise<string> {
    return this.run(() => {
      this.q.settingInit.run(name, value, at.toISOString());
      return this.q.setting.get(name)!.value;
    });
  }

  putSetting(name: string, value: string, at: Date): Promise<void> {
    return this.run(() => void this.q.settingPut.run(name, value, at.toISOString()));
  }

  answers(from: Date, minConfidence: number, limit: number): Promise<AnswerSample[]> {
    return this.run(() => this.q.answers.all(from.toISOString(), minConfidence, limit).map(toAnswer));
  }

  markedAnswers(from: Date): Promise<AnswerSample[]> {
    return this.run(() => this.q.marked.all(from.toISOString()).map(toAnswer));
  }

  markAnswer(messageId: number, by: string, at: Date): Promise<boolean> {
    return this.run(() => {
      if (!this.q.isClientMessage.get(messageId)) return false;
      this.q.mark.run(messageId, by, at.toISOString());
      return true;
    });
  }

  unmarkAnswer(messageId: number): Promise<void> {
    return this.run(() => void this.q.unmark.run(messageId));
  }

  conversationLanguages(from: Date): Promise<{ lang: string; count: number }[]> {
    return this.run(() => this.q.languages.all(from.toISOString()));
  }
}

/** Writes an audit entry (inside whatever transaction is open). */
export function addAudit(q: DeskStatements, chat: string | null, e: Omit<NewAudit, 'chat'>): void {
  q.auditAdd.run({
    at: e.at, actor: e.actor, action: e.action, chat, handoffId: e.handoffId ?? null, consultationId: e.consultationId ?? null, detail: e.detail ?? null,
  });
}

export function addNote(q: DeskStatements, chat: string, n: NewNote): NoteRecord {
  const id = Number(q.noteAdd.run(chat, n.handoffId ?? null, n.author, n.text, n.at).lastInsertRowid);
  return toNote(q.note.get(id)!);
}

export function addMedia(q: DeskStatements, chat: string, m: NewMedia): number {
  return Number(q.mediaAdd.run(chat, messageKey(m.messageId), m.mimeType, m.data.length, m.filename ?? null, m.data, m.at).lastInsertRowid);
}

export function mediaFor(q: DeskStatements, chat: string, messageId: string): number | undefined {
  return q.mediaFor.get(chat, messageKey(messageId))?.id;
}
