/**
 * The outbox sender on a real SQLite file: the bound on replies sent but not yet recorded (what a crash can send twice)
 * holds however sends finish and start, and each chat's replies go out in order.
 */
import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/store';
import { OutboxSender } from '../../src/turn/sender';
import { memoryLog, tempDir, until } from '../helpers';

const CONCURRENCY = 4;

/** An outbound whose sends stay open until the test lets them finish, counting how many are open at once. */
function heldOutbound() {
  const open: { chat: string; text: string; finish: () => void }[] = [];
  const sent: { chat: string; text: string }[] = [];
  let most = 0;
  return {
    open,
    sent,
    get most() {
      return most;
    },
    outbound: {
      send: (chat: string, text: string) =>
        new Promise<void>((finish) => {
          open.push({ chat, text, finish: () => { sent.push({ chat, text }); finish(); } });
          most = Math.max(most, open.length);
        }),
    },
    /** Finishes the oldest open send. */
    finishOne() {
      open.shift()?.finish();
    },
  };
}

describe('OutboxSender', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('never has more than its concurrency sent-but-unrecorded, even as places are freed and taken in one tick', async () => {
    const store = SqliteStore.open(join(tmp.dir, 'bound.db'));
    const at = new Date();
    const chats = Array.from({ length: 12 }, (_, i) => `1555000${String(i).padStart(4, '0')}`);
    for (const chat of chats) await store.withChat(chat, (tx) => tx.enqueue([`${chat} one`, `${chat} two`], at));
    const phone = heldOutbound();
    const sender = new OutboxSender({ store, outbound: phone.outbound, clock: { now: () => new Date() }, log: memoryLog().log, owner: 'test', concurrency: CONCURRENCY, pollMs: 60_000 });
    // Several flushes at once: each wants places; freed places must pass to a waiter, not to a newcomer as well.
    const flushes = [sender.flush(), sender.flush(), ...chats.slice(0, 4).map((chat) => sender.flush(chat))];
    await until(() => phone.open.length === CONCURRENCY, 5_000, 'the first sends');
    while (phone.sent.length < chats.length * 2) {
      phone.finishOne();
      // A new flush in the same tick as the freed place.
      void sender.flush(chats[phone.sent.length % chats.length]);
      await new Promise((done) => setImmediate(done));
      expect(phone.open.length).toBeLessThanOrEqual(CONCURRENCY);
      await until(() => phone.open.length > 0 || phone.sent.length === chats.length * 2, 5_000, 'the next send');
    }
    await Promise.all(flushes);
    await sender.stop();
    expect(phone.most).toBe(CONCURRENCY);
    for (const chat of chats) expect(phone.sent.filter((s) => s.chat === chat).map((s) => s.text)).toEqual([`${chat} one`, `${chat} two`]);
    expect(await store.claimOutbox('other', new Date(Date.now() + 3_600_000), 60_000, 100)).toEqual([]);
    await store.close();
  });
});
