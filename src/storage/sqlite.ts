/**
 * Opening the SQLite database: WAL, foreign keys, and versioned migrations tracked in `PRAGMA user_version`.
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
  migrate(db);
  return db;
}
