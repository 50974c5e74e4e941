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

  it('a reply that waited past its lease for a place is not sent if another sender took it over; otherwise its claim is renewed', async () => {
    const store = SqliteStore.open(join(tmp.dir, 'lease.db'));
    let now = new Date('2026-12-01T15:00:00Z');
    const clock = { now: () => now };
    for (const chat of ['a', 'b', 'c']) await store.withChat(chat, (tx) => tx.enqueue([`${chat}1`], now));
    const phone = heldOutbound();
    const { log, lines } = memoryLog('warn');
    const sender = new OutboxSender({ store, outbound: phone.outbound, clock, log, owner: 's1', leaseMs: 60_000, concurrency: 1, pollMs: 60_000 });
    // Each chat flushed on its own (as turns do): all three claimed now, b1 and c1 wait for the one place.
    const flush = Promise.all(['a', 'b', 'c'].map((chat) => sender.flush(chat)));
    await until(() => phone.open.length === 1, 5_000, 'the first send');
    expect(phone.open[0].text).toBe('a1');
    // a1 takes 70 s: the claims on b1 and c1 run out while they wait; another server takes b1 over.
    now = new Date(now.getTime() + 70_000);
    const takenOver = await store.claimOutbox('s2', now, 60_000, 10, 'b');
    expect(takenOver.map((e) => e.text)).toEqual(['b1']);
    phone.finishOne();
    await until(() => phone.open.length === 1, 5_000, 'the next send');
    expect(phone.open[0].text).toBe('c1'); // b1 skipped: s2 sends it
    phone.finishOne();
    await flush;
    await sender.stop();
    expect(phone.sent.map((m) => m.text)).toEqual(['a1', 'c1']);
    await until(() => lines.some((l) => l.includes('another sender has it')), 5_000, 'the warning');
    expect(await store.outboxState(takenOver[0].id)).toBe(false); // still s2's to send
    await store.close();
  });

  it('a send slower than the lease keeps its claim: no other sender takes the reply over while it is being sent', async () => {
    const store = SqliteStore.open(join(tmp.dir, 'slow.db'));
    await store.withChat('a', (tx) => tx.enqueue(['a1'], new Date()));
    const phone = heldOutbound();
    const sender = new OutboxSender({ store, outbound: phone.outbound, clock: { now: () => new Date() }, log: memoryLog().log, owner: 's1', leaseMs: 1_000, concurrency: 1, pollMs: 60_000 });
    const flush = sender.flush('a');
    await until(() => phone.open.length === 1, 5_000, 'the send');
    // Two and a half leases long, another server keeps looking for replies whose claim ran out.
    const end = Date.now() + 2_500;
    while (Date.now() < end) {
      expect(await store.claimOutbox('s2', new Date(), 1_000, 10)).toEqual([]);
      await new Promise((done) => setTimeout(done, 25));
    }
    phone.finishOne();
    expect(await flush).toBe(1);
    await sender.stop();
    expect(phone.sent.map((m) => m.text)).toEqual(['a1']);
    expect(await store.claimOutbox('s2', new Date(Date.now() + 3_600_000), 300, 10)).toEqual([]);
    await store.close();
  });

  it('keeps trying through a long outage while the 24-hour window is open, sends once when it ends, and gives up only when the window closes', async () => {
    const store = SqliteStore.open(join(tmp.dir, 'outage.db'));
    let now = new Date('2026-12-01T15:00:00Z');
    const clock = { now: () => now };
    await store.withChat('a', async (tx) => {
      await tx.touchContact(now, { inbound: true });
      await tx.enqueue(['a1', 'a2'], now);
    });
    const sent: string[] = [];
    let down = true;
    const outbound = { send: async (_chat: string, text: string) => { if (down) throw new Error('HTTP 503'); sent.push(text); } };
    const sender = new OutboxSender({ store, outbound, clock, log: memoryLog('error').log, owner: 's1', pollMs: 60_000 });
    // Twelve minutes of outage, looked at every 30 s as the poll would.
    for (let t = 0; t < 24; t++) {
      await sender.flush();
      now = new Date(now.getTime() + 30_000);
    }
    expect(sent).toEqual([]);
    expect(await store.failedReplies()).toEqual([]);
    down = false;
    now = new Date(now.getTime() + 30 * 60_000); // the longest pause
    expect(await sender.flush()).toBe(2);
    expect(sent).toEqual(['a1', 'a2']); // once each, in order
    expect(await sender.flush()).toBe(0);
    // A reply still failing when its 24-hour window closes is given up and shown to staff.
    down = true;
    await store.withChat('a', (tx) => tx.enqueue(['a3'], now));
    now = new Date(Date.parse('2026-12-01T15:00:00Z') + 23.9 * 3_600_000);
    await sender.flush();
    now = new Date(now.getTime() + 3_600_000);
    await sender.flush();
    expect((await store.failedReplies()).map((f) => f.text)).toEqual(['a3']);
    await sender.stop();
    await store.close();
  });

  it('sends the replies a previous run left queued as soon as it starts, not at the next poll', async () => {
    const file = join(tmp.dir, 'restart.db');
    const first = SqliteStore.open(file);
    await first.withChat('a', (tx) => tx.enqueue(['left behind'], new Date()));
    await first.close();
    const store = SqliteStore.open(file);
    const sent: string[] = [];
    const sender = new OutboxSender({ store, outbound: { send: async (_c: string, text: string) => void sent.push(text) }, clock: { now: () => new Date() }, log: memoryLog().log, owner: 's2', pollMs: 3_600_000 });
    sender.start();
    await until(() => sent.length === 1, 2_000, 'the queued reply');
    expect(sent).toEqual(['left behind']);
    await sender.stop();
    await store.close();
  });
});
