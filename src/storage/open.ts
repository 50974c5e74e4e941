/**
 * Opens the configured store: PostgreSQL when DATABASE_URL is set (several servers can share it), otherwise SQLite
 * in DATA_DIR (one server, nothing to set up). Either way the schema is brought up to date first.
 */
import { join } from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Store } from '../store';
import { SqliteStore } from './sqlite/store';

/** The SQLite file inside DATA_DIR. */
export const databaseFile = (config: Config) => join(config.dataDir, 'puente.db');

/** Opens (and migrates) the store the configuration names. */
export async function openStore(config: Config, log?: Logger): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres/store');
    const store = await PostgresStore.connect(config.databaseUrl);
    log?.info({ backend: 'postgres', schema: store.schema }, 'database ready');
    return store;
  }
  const store = SqliteStore.open(databaseFile(config));
  log?.info({ backend: 'sqlite' }, 'database ready');
  return store;
}
