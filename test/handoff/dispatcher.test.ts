/**
 * Staff notifications from two servers on one real SQLite file: each goes out once, most urgent first, even when
 * sending is slower than a claim lasts for a whole queue.
 */
import { join } from 'node:path';
import { NotificationDispatcher } from '../../src/handoff/notify';
import { SqliteStore } from '../../src/storage/sqlite/store';
import { memoryLog, tempDir } from '../helpers';

describe('NotificationDispatcher', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('two servers flushing together send each notification once, urgent first, though the queue takes longer than a lease', async () => {
    const store = SqliteStore.open(join(tmp.dir, 'notify.db'));
    const at = new Date(Date.now() - 1_000).toISOString();
    await store.withChat('15550001111', (tx) =>
      tx.addNotifications([3, 1, 2, 3, 2].map((priority, i) => ({ chat: '15550001111', event: 'handoff', priority, recipient: '15559990000', text: `n${i} p${priority}`, at, notBefore: at }))),
    );
    const sent: string[] = [];
    // Each send takes 200 ms; a claim lasts 500 ms: the five of them take a second.
    const notifier = { notify: (_to: string, text: string) => new Promise<void>((done) => setTimeout(() => { sent.push(text); done(); }, 200)) };
    const server = (owner: string) => new NotificationDispatcher({ store, notifier, clock: { now: () => new Date() }, log: memoryLog().log, owner, leaseMs: 500 });
    const a = server('a');
    const b = server('b');
    const first = a.flush();
    // The second server looks while the first is busy, and again later, as its timer would.
    await new Promise((done) => setTimeout(done, 300));
    const second = b.flush();
    await new Promise((done) => setTimeout(done, 400));
    const third = b.flush();
    await Promise.all([first, second, third]);
    expect([...sent].sort()).toEqual(['n0 p3', 'n1 p1', 'n2 p2', 'n3 p3', 'n4 p2']);
    // The first server's first sends: the most urgent first.
    expect(sent.slice(0, 2)).toEqual(['n1 p1', 'n2 p2']);
    await store.close();
  });
});
