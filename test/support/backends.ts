/**
 * The storage backends a suite runs on: a SQLite file in a temporary folder, and a PostgreSQL schema when global
 * setup reached a server. Each `make()` gives a fresh store; `dispose()` closes it and removes its file or schema.
 */
import { join } from 'node:path';
import type { Store } from '../../src/store';
import { SqliteStore } from '../../src/storage/sqlite/store';
import { tempDir } from '../helpers';
import { postgresAvailable, postgresStore } from './postgres';

export interface BackendStore {
  readonly store: Store;
  readonly dispose: () => Promise<void>;
}

export function storeBackends(): [string, () => Promise<BackendStore>][] {
  const backends: [string, () => Promise<BackendStore>][] = [
    ['sqlite', async () => {
      const tmp = tempDir();
      const store = SqliteStore.open(join(tmp.dir, 'puente.db'));
      return {
        store,
        // A core that owned the store closed it already.
        dispose: async () => {
          await store.close().catch(() => undefined);
          tmp.remove();
        },
      };
    }],
  ];
  if (postgresAvailable) backends.push(['postgres', () => postgresStore()]);
  return backends;
}
