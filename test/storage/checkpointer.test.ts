/**
 * WAL checkpoints in a worker thread, on a real SQLite file: the server's connection no longer copies the WAL into
 * the database inside its commits, yet the pages reach the database file; the worker ends with the store; a worker
 * that cannot run hands checkpoints back.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/store';
import { startCheckpointer } from '../../src/storage/sqlite/checkpointer';
import { tempDir, until } from '../helpers';

describe('background checkpoints', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('start once the store is busy, move the WAL into the database file, and stop with the store', async () => {
    const file = join(tmp.dir, 'busy.db');
    const store = SqliteStore.open(file, { backgroundCheckpointsAfter: 5 });
    const at = new Date();
    const text = 'x'.repeat(2_000);
    for (let i = 0; i < 4; i++) await store.withChat(`c${i}`, (tx) => tx.enqueue([text], at));
    expect(store.backgroundCheckpoints).toBeUndefined(); // not yet: a tool or a test opening the file briefly never starts one
    const before = statSync(file).size;
    // ~1,000 pages of replies: past SQLite's default automatic checkpoint, far below the server connection's own now.
    for (let i = 0; i < 2_000; i++) await store.withChat(`c${i % 50}`, (tx) => tx.enqueue([`${text}${i}`], at));
    const checkpointer = store.backgroundCheckpoints!;
    expect(checkpointer.running).toBe(true);
    expect((store.db.pragma('wal_autocheckpoint', { simple: true }) as number)).toBeGreaterThan(1_000);
    await until(() => checkpointer.checkpoints > 0 && statSync(file).size > before + 2_000_000, 10_000, 'the worker to checkpoint');
    await store.close();
    expect(checkpointer.running).toBe(false);
    // Everything is in the database file and readable after a reopen.
    const again = SqliteStore.open(file);
    expect((await again.claimOutbox('me', new Date(), 60_000, 100)).length).toBe(50);
    await again.close();
  });

  it('a worker that cannot open the file reports it once, so the store falls back to SQLite\'s own checkpoints', async () => {
    const reasons: string[] = [];
    const checkpointer = startCheckpointer(join(tmp.dir, 'missing', 'nothing.db'), (reason) => reasons.push(reason));
    await until(() => reasons.length > 0, 10_000, 'the failure');
    expect(checkpointer.running).toBe(false);
    await checkpointer.stop();
    expect(reasons).toHaveLength(1);
  });
});
