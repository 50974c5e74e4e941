/**
 * PostgreSQL for tests: each store gets its own schema on the server global setup found, dropped when closed.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresStore } from '../../src/storage/postgres/store';

/** True when global setup reached a PostgreSQL server. */
export const postgresAvailable = process.env.PUENTE_PG === '1';

/** `describe` when PostgreSQL answers, `describe.skip` otherwise (global setup said why, once). */
export const describePostgres = postgresAvailable ? describe : describe.skip;

/** A fresh schema name for one test. */
export function schemaName(): string {
  return `puente_t_${randomBytes(5).toString('hex')}`;
}

/** The test server's URL with `schema` selected. */
export function schemaUrl(schema: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** A store on a new schema; `dispose()` closes it and drops the schema. */
export async function postgresStore(schema = schemaName()): Promise<{ store: PostgresStore; url: string; dispose: () => Promise<void> }> {
  const url = schemaUrl(schema);
  const store = await PostgresStore.connect(url, { max: 4 });
  return {
    store,
    url,
    dispose: async () => {
      await store.close().catch(() => undefined); // closed already when a core owned it
      await dropSchema(schema);
    },
  };
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
