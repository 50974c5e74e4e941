/**
 * Once per test run: trains the model (not once per file) and checks whether a PostgreSQL server answers at
 * TEST_DATABASE_URL (default: the local server). Without one, the PostgreSQL suites are skipped with one line — unless
 * REQUIRE_POSTGRES=1 (CI), which fails the run instead.
 */
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadOrTrain } from '../src/nlu/model-store';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export default async function globalSetup(): Promise<void> {
  const root = resolve(__dirname, '..');
  const file = join(root, 'test-artifacts', 'model.json');
  loadOrTrain(join(root, 'intents'), file);
  process.env.PUENTE_TEST_MODEL = file;

  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = url;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.PUENTE_PG = '1';
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0];
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${url.replace(/\/\/[^@]*@/, '//…@')} does not answer: ${reason}`);
    process.stderr.write(`\nPostgreSQL not reachable at ${url.replace(/\/\/[^@]*@/, '//…@')} (${reason}): the PostgreSQL suites are skipped.\n`);
    process.env.PUENTE_PG = '0';
  } finally {
    await client.end().catch(() => undefined);
  }
}
