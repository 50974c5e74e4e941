/**
 * The PostgreSQL schema as versioned migrations, applied at start (and by `npx puente migrate`) under an advisory
 * lock, so several servers starting together migrate once. Never edit a migration that shipped; add one.
 */
import type { PoolClient } from 'pg';

/** Schema changes, in order; `schema_migrations` records the versions applied. */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE contacts (
     chat text PRIMARY KEY,
     name text,
     lang text NOT NULL,
     created_at timestamptz NOT NULL,
     last_seen_at timestamptz NOT NULL,
     last_inbound_at timestamptz
   );
   CREATE TABLE conversations (
     chat text PRIMARY KEY REFERENCES contacts(chat) ON DELETE CASCADE,
     state jsonb NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE TABLE messages (
     id bigserial PRIMARY KEY,
     chat text NOT NULL REFERENCES contacts(chat) ON DELETE CASCADE,
     direction text NOT NULL CHECK (direction IN ('in', 'out')),
     author text NOT NULL CHECK (author IN ('client', 'bot', 'staff')),
     message_id text,
     type text NOT NULL DEFAULT 'text',
     text text NOT NULL,
     intent text,
     confidence double precision,
     lang text,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX messages_by_chat ON messages (chat, id);
   CREATE INDEX messages_by_time ON messages (created_at);
   CREATE TABLE processed_messages (
     message_id text PRIMARY KEY,
     chat text NOT NULL,
     processed_at timestamptz NOT NULL
   );
   CREATE INDEX processed_by_chat ON processed_messages (chat);
   CREATE TABLE inbox (
     seq bigserial PRIMARY KEY,
     chat text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('message', 'staff', 'release')),
     payload jsonb NOT NULL,
     not_before timestamptz NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX inbox_by_chat ON inbox (chat, seq);
   CREATE INDEX inbox_due ON inbox (not_before);
   CREATE TABLE outbox (
     id bigserial PRIMARY KEY,
     chat text NOT NULL,
     text text NOT NULL,
     created_at timestamptz NOT NULL,
     sent_at timestamptz,
     attempts integer NOT NULL DEFAULT 0,
     next_attempt_at timestamptz NOT NULL,
     lease_until timestamptz,
     lease_owner text,
     last_error text,
     failed_at timestamptz,
     forget boolean NOT NULL DEFAULT false
   );
   CREATE INDEX outbox_pending ON outbox (chat, id) WHERE sent_at IS NULL AND failed_at IS NULL;
   CREATE TABLE effects (
     id bigserial PRIMARY KEY,
     chat text NOT NULL,
     type text NOT NULL,
     payload jsonb NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX effects_by_chat ON effects (chat);
   CREATE TABLE handoffs (
     id bigserial PRIMARY KEY,
     chat text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('urgent', 'human', 'consultation', 'advice')),
     priority integer NOT NULL,
     status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
     lang text NOT NULL,
     name text,
     summary text NOT NULL,
     details jsonb,
     consultation_id bigint,
     claimed_by text,
     created_at timestamptz NOT NULL,
     activity_at timestamptz NOT NULL,
     last_staff_at timestamptz,
     resolved_at timestamptz,
     resolution text
   );
   CREATE UNIQUE INDEX handoffs_one_open_per_chat ON handoffs (chat) WHERE status = 'open';
   CREATE INDEX handoffs_queue ON handoffs (status, priority, created_at);
   CREATE INDEX handoffs_by_chat ON handoffs (chat, id);
   CREATE TABLE consultations (
     id bigserial PRIMARY KEY,
     chat text NOT NULL,
     status text NOT NULL CHECK (status IN ('requested', 'confirmed', 'cancelled', 'completed', 'no-show')),
     mode text NOT NULL CHECK (mode IN ('phone', 'office')),
     name text,
     topic text,
     lang text NOT NULL,
     start_at timestamptz,
     end_at timestamptz,
     preference text,
     note text,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     CHECK ((start_at IS NULL) = (end_at IS NULL)),
     CHECK (start_at IS NOT NULL OR preference IS NOT NULL OR status NOT IN ('requested', 'confirmed')),
     -- Two active consultations can never overlap, whichever server writes them.
     CONSTRAINT consultations_no_overlap EXCLUDE USING gist (tstzrange(start_at, end_at) WITH &&)
       WHERE (start_at IS NOT NULL AND status IN ('requested', 'confirmed'))
   );
   CREATE INDEX consultations_by_chat ON consultations (chat, status);
   CREATE INDEX consultations_by_time ON consultations (start_at);
   CREATE TABLE notifications (
     id bigserial PRIMARY KEY,
     chat text,
     handoff_id bigint,
     event text NOT NULL,
     subject text,
     priority integer NOT NULL,
     recipient text,
     text text NOT NULL,
     created_at timestamptz NOT NULL,
     not_before timestamptz NOT NULL,
     next_attempt_at timestamptz NOT NULL,
     attempts integer NOT NULL DEFAULT 0,
     last_error text,
     sent_at timestamptz,
     given_up_at timestamptz,
     lease_until timestamptz,
     lease_owner text
   );
   CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL AND recipient IS NOT NULL;
   CREATE INDEX notifications_by_chat ON notifications (chat);
   CREATE INDEX notifications_by_subject ON notifications (subject) WHERE sent_at IS NULL;
   CREATE TABLE jobs (name text PRIMARY KEY, next_run_at timestamptz NOT NULL);
   CREATE TABLE leases (name text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL);`,
  // 2: the staff desk: named accounts, server-side sessions, sign-in failures (shared by every server), the audit list,
  //    internal notes, the voice notes, photos and files clients sent, settings (the calendar link), answers staff
  //    marked wrong, and when staff first replied in a case.
  `CREATE TABLE staff (
     id bigserial PRIMARY KEY,
     name text NOT NULL,
     role text NOT NULL CHECK (role IN ('admin', 'staff')),
     password_hash text NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     removed_at timestamptz
   );
   CREATE UNIQUE INDEX staff_active_name ON staff (lower(name)) WHERE removed_at IS NULL;
   CREATE TABLE staff_sessions (
     token_hash text PRIMARY KEY,
     staff_id bigint NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
     csrf text NOT NULL,
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL
   );
   CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
   CREATE TABLE sign_in_failures (
     id bigserial PRIMARY KEY,
     key text NOT NULL,
     at timestamptz NOT NULL
   );
   CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
   CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
   CREATE TABLE audit (
     id bigserial PRIMARY KEY,
     at timestamptz NOT NULL,
     actor text NOT NULL,
     action text NOT NULL,
     chat text,
     handoff_id bigint,
     consultation_id bigint,
     detail text
   );
   CREATE INDEX audit_by_chat ON audit (chat, id);
   CREATE INDEX audit_by_time ON audit (at);
   CREATE TABLE notes (
     id bigserial PRIMARY KEY,
     chat text NOT NULL,
     handoff_id bigint,
     author text NOT NULL,
     text text NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX notes_by_chat ON notes (chat, id);
   CREATE TABLE media (
     id bigserial PRIMARY KEY,
     chat text NOT NULL,
     message_key text NOT NULL,
     mime_type text NOT NULL,
     size integer NOT NULL,
     filename text,
     data bytea NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX media_by_chat ON media (chat, message_key);
   CREATE INDEX media_by_time ON media (created_at);
   CREATE TABLE settings (name text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL);
   CREATE TABLE answer_marks (
     message_id bigint PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
     marked_by text NOT NULL,
     marked_at timestamptz NOT NULL
   );
   ALTER TABLE messages ADD COLUMN media_id bigint;
   ALTER TABLE handoffs ADD COLUMN replied_at timestamptz;
   UPDATE handoffs SET replied_at = last_staff_at;
   CREATE INDEX contacts_by_seen ON contacts (last_seen_at);`,
];

/** A fixed key for the migration lock (any server migrating holds it). */
const MIGRATION_LOCK = 7_413_006_001;

/**
 * Creates `schema` if needed and applies pending migrations in it, each in its own transaction, under the migration
 * lock: servers starting together on a new database create the schema once (`CREATE SCHEMA IF NOT EXISTS` alone
 * races: the second fails on a duplicate key). Leaves `client` in `schema`. Returns the schema version.
 */
export async function migratePostgres(client: PoolClient, schema: string): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    for (let version = rows[0]?.version ?? 0; version < PG_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(PG_MIGRATIONS[version]);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [version + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return PG_MIGRATIONS.length;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
