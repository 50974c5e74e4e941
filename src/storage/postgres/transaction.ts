/** One transaction on one pooled client: BEGIN (or `begin`, which may add statements to that round trip), COMMIT. */
import type { Pool, PoolClient } from 'pg';

/** Something that runs queries: the pool, one client inside a transaction, or a group's connection. */
export type Queryable = Pick<PoolClient, 'query'>;

/**
 * Runs `fn` in a transaction on one client of `pool`, committed when it resolves and rolled back when it throws (the
 * error is rethrown). `begin` is the opening statement, sent as one round trip.
 */
export async function inTransaction<T>(pool: Pool, fn: (db: PoolClient) => Promise<T>, begin: (db: PoolClient) => string = () => 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin(client));
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
