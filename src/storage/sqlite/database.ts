/**
 * Opening the SQLite database: WAL, foreign keys, secure delete, and versioned migrations tracked in
 * `PRAGMA user_version`.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A database handle. */
export type Db = Database.Database;

/** Schema changes, in order; the database's `user_version` is the number applied. Never edit one that shipped. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE contacts (
     chat TEXT PRIMARY KEY,
     name TEXT,
     lang TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL
   );
   CREATE TABLE conversations (
     chat TEXT PRIMARY KEY REFERENCES contacts(chat) ON DELETE CASCADE,
     state TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL REFERENCES contacts(chat) ON DELETE CASCADE,
     direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
     message_id TEXT,
     type TEXT NOT NULL DEFAULT 'text',
     text TEXT NOT NULL,
     intent TEXT,
     confidence REAL,
     lang TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX messages_by_chat ON messages (chat, id);
   CREATE INDEX messages_by_time ON messages (created_at);
   CREATE TABLE processed_messages (
     message_id TEXT PRIMARY KEY,
     chat TEXT NOT NULL,
     processed_at TEXT NOT NULL
   );
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     attempts INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
   CREATE TABLE effects (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     type TEXT NOT NULL,
     payload TEXT NOT NULL,
     created_at TEXT NOT NULL,
     done_at TEXT
   );`,
  // 2: handoffs, consultations, staff notifications; who wrote each transcript line.
  `ALTER TABLE messages ADD COLUMN author TEXT NOT NULL DEFAULT 'client' CHECK (author IN ('client', 'bot', 'staff'));
   UPDATE messages SET author = 'bot' WHERE direction = 'out';
   CREATE TABLE handoffs (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('urgent', 'human', 'consultation', 'advice')),
     priority INTEGER NOT NULL,
     status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
     lang TEXT NOT NULL,
     name TEXT,
     summary TEXT NOT NULL,
     consultation_id INTEGER,
     claimed_by TEXT,
     created_at TEXT NOT NULL,
     activity_at TEXT NOT NULL,
     last_staff_at TEXT,
     resolved_at TEXT,
     resolution TEXT
   );
   CREATE UNIQUE INDEX handoffs_one_open_per_chat ON handoffs (chat) WHERE status = 'open';
   CREATE INDEX handoffs_queue ON handoffs (status, priority, created_at);
   CREATE TABLE consultations (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'cancelled', 'completed')),
     mode TEXT NOT NULL CHECK (mode IN ('phone', 'office')),
     name TEXT,
     topic TEXT,
     lang TEXT NOT NULL,
     start_at TEXT,
     end_at TEXT,
     preference TEXT,
     note TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     CHECK ((start_at IS NULL) = (end_at IS NULL)),
     CHECK (start_at IS NOT NULL OR preference IS NOT NULL OR status IN ('cancelled', 'completed'))
   );
   -- Two active consultations can never hold the same start time, whichever process writes them.
   CREATE UNIQUE INDEX consultations_one_per_slot ON consultations (start_at) WHERE start_at IS NOT NULL AND status IN ('requested', 'confirmed');
   CREATE INDEX consultations_by_chat ON consultations (chat, status);
   CREATE INDEX consultations_by_time ON consultations (start_at);
   CREATE TABLE notifications (
     id INTEGER PRIMARY KEY,
     handoff_id INTEGER,
     event TEXT NOT NULL,
     priority INTEGER NOT NULL,
     recipient TEXT,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL,
     not_before TEXT NOT NULL,
     next_attempt_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     sent_at TEXT,
     given_up_at TEXT
   );
   CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL;`,

  // 3: the durable inbox; outbox retries, leases and failures; case details; notifications per chat and subject;
  //    no-show consultations; periodic jobs and named leases shared by every process on the file.
  `CREATE TABLE inbox (
     seq INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('message', 'staff', 'release')),
     payload TEXT NOT NULL,
     not_before TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX inbox_by_chat ON inbox (chat, seq);
   CREATE INDEX inbox_due ON inbox (not_before);
   ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
   ALTER TABLE outbox ADD COLUMN lease_until TEXT;
   ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
   ALTER TABLE outbox ADD COLUMN last_error TEXT;
   ALTER TABLE outbox ADD COLUMN failed_at TEXT;
   UPDATE outbox SET next_attempt_at = created_at;
   UPDATE outbox SET failed_at = created_at WHERE sent_at IS NULL AND attempts >= 10;
   DROP INDEX outbox_unsent;
   CREATE INDEX outbox_pending ON outbox (chat, id) WHERE sent_at IS NULL AND failed_at IS NULL;
   ALTER TABLE handoffs ADD COLUMN details TEXT;
   ALTER TABLE contacts ADD COLUMN last_inbound_at TEXT;
   UPDATE contacts SET last_inbound_at = last_seen_at;
   ALTER TABLE notifications ADD COLUMN chat TEXT;
   ALTER TABLE notifications ADD COLUMN subject TEXT;
   ALTER TABLE notifications ADD COLUMN lease_until TEXT;
   ALTER TABLE notifications ADD COLUMN lease_owner TEXT;
   UPDATE notifications SET chat = (SELECT chat FROM handoffs WHERE handoffs.id = notifications.handoff_id);
   CREATE INDEX notifications_by_chat ON notifications (chat);
   CREATE INDEX notifications_by_subject ON notifications (subject) WHERE sent_at IS NULL;
   CREATE TABLE consultations_v3 (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'cancelled', 'completed', 'no-show')),
     mode TEXT NOT NULL CHECK (mode IN ('phone', 'office')),
     name TEXT,
     topic TEXT,
     lang TEXT NOT NULL,
     start_at TEXT,
     end_at TEXT,
     preference TEXT,
     note TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     CHECK ((start_at IS NULL) = (end_at IS NULL)),
     CHECK (start_at IS NOT NULL OR preference IS NOT NULL OR status NOT IN ('requested', 'confirmed'))
   );
   INSERT INTO consultations_v3 SELECT id, chat, status, mode, name, topic, lang, start_at, end_at, preference, note, created_at, updated_at FROM consultations;
   DROP TABLE consultations;
   ALTER TABLE consultations_v3 RENAME TO consultations;
   CREATE UNIQUE INDEX consultations_one_per_slot ON consultations (start_at) WHERE start_at IS NOT NULL AND status IN ('requested', 'confirmed');
   CREATE INDEX consultations_by_chat ON consultations (chat, status);
   CREATE INDEX consultations_by_time ON consultations (start_at);
   ALTER TABLE outbox ADD COLUMN forget INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE jobs (name TEXT PRIMARY KEY, next_run_at TEXT NOT NULL);
   CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TEXT NOT NULL);`,
  // 4: the staff desk: named accounts, server-side sessions, sign-in failures (shared by every process on the file),
  //    the audit list, internal notes, the voice notes, photos and files clients sent, settings (the calendar link),
  //    answers staff marked wrong, and when staff first replied in a case.
  `CREATE TABLE staff (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     removed_at TEXT
   );
   CREATE UNIQUE INDEX staff_active_name ON staff (lower(name)) WHERE removed_at IS NULL;
   CREATE TABLE staff_sessions (
     token_hash TEXT PRIMARY KEY,
     staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
     csrf TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
   CREATE TABLE sign_in_failures (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
   CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     chat TEXT,
     handoff_id INTEGER,
     consultation_id INTEGER,
     detail TEXT
   );
   CREATE INDEX audit_by_chat ON audit (chat, id);
   CREATE INDEX audit_by_time ON audit (at);
   CREATE TABLE notes (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     handoff_id INTEGER,
     author TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX notes_by_chat ON notes (chat, id);
   CREATE TABLE media (
     id INTEGER PRIMARY KEY,
     chat TEXT NOT NULL,
     message_key TEXT NOT NULL,
     mime_type TEXT NOT NULL,
     size INTEGER NOT NULL,
     filename TEXT,
     data BLOB NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX media_by_chat ON media (chat, message_key);
   CREATE INDEX media_by_time ON media (created_at);
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE answer_marks (
     message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
     marked_by TEXT NOT NULL,
     marked_at TEXT NOT NULL
   );
   ALTER TABLE messages ADD COLUMN media_id INTEGER;
   ALTER TABLE handoffs ADD COLUMN replied_at TEXT;
   UPDATE handoffs SET replied_at = last_staff_at;
   CREATE INDEX contacts_by_seen ON contacts (last_seen_at);`,
  // 9: a chat's cases found by the chat (every turn asks whether it has any), as on PostgreSQL.
  `CREATE INDEX handoffs_by_chat ON handoffs (chat, id);`,
];

/** Applies pending migrations, each in its own transaction. Returns the resulting schema version. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

/**
 * Opens (creating if needed) the database file and brings its schema up to date. `:memory:` is accepted for tests.
 * WAL with synchronous=NORMAL: a committed turn survives a process crash; only an OS crash or power loss can lose the
 * last few commits.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted content is overwritten with zeros, so an erasure leaves nothing readable in the file (with a checkpoint).
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}
