/**
 * The storage contract, one suite run against every backend (SQLite file, PostgreSQL schema): every store operation,
 * and the domain rules applied through it (handoff lifecycle, consultation changes, erasure, retention), so neither
 * backend can drift from the other.
 */
import { join } from 'node:path';
import type { ConsultationRecord, Store } from '../../src/store';
import { SlotTakenError } from '../../src/store';
import { initialState } from '../../src/dialogue/engine';
import type { InboundMessage } from '../../src/dialogue/types';
import { notificationPlanner } from '../../src/handoff/notify';
import { parseOfficeHours } from '../../src/booking/office-hours';
import { ERASURE_SCOPE } from '../../src/privacy/erasure';
import { retentionPlan } from '../../src/privacy/retention';
import { SqliteStore } from '../../src/storage/sqlite/store';
import { TurnApplier } from '../../src/turn/apply';
import { tempDir } from '../helpers';
import { dropSchema, postgresAvailable, postgresStore, schemaName, schemaUrl } from '../support/postgres';

const at = new Date('2026-11-30T15:00:00Z'); // Monday 10:00 New York
const later = (ms: number) => new Date(at.getTime() + ms);
const MINUTE = 60_000;
const message = (id: string, chat = 'chat-1', text = `text ${id}`): InboundMessage => ({ id, chat, text, type: 'text', receivedAt: at });
const slot = (hour: number) => ({ start: `2026-12-01T${String(hour).padStart(2, '0')}:00:00.000Z`, end: `2026-12-01T${String(hour).padStart(2, '0')}:40:00.000Z` });
const applier = new TurnApplier(notificationPlanner({ staffNumbers: ['15550001111'], hours: parseOfficeHours('Mon-Fri 09:00-17:00'), timezone: 'America/New_York' }));

interface Backend {
  store: Store;
  /** A second connection to the same database (another server). */
  other(): Promise<Store>;
  dispose(): Promise<void>;
}

const backends: [string, () => Promise<Backend>][] = [
  ['sqlite', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'puente.db');
    const opened: Store[] = [SqliteStore.open(file)];
    return {
      store: opened[0],
      other: async () => {
        const s = SqliteStore.open(file);
        opened.push(s);
        return s;
      },
      dispose: async () => {
        for (const s of opened) await s.close();
        tmp.remove();
      },
    };
  }],
];
if (postgresAvailable) {
  backends.push(['postgres', async () => {
    const pg = await postgresStore();
    const opened: Store[] = [];
    const { PostgresStore } = await import('../../src/storage/postgres/store');
    return {
      store: pg.store,
      other: async () => {
        const s = await PostgresStore.connect(pg.url, { max: 4 });
        opened.push(s);
        return s;
      },
      dispose: async () => {
        for (const s of opened) await s.close();
        await pg.dispose();
      },
    };
  }]);
}

describe.each(backends)('%s store', (_name, make) => {
  let b: Backend;
  let store: Store;
  beforeEach(async () => {
    b = await make();
    store = b.store;
  });
  afterEach(() => b.dispose());

  describe('inbox', () => {
    it('accepts messages once per id, keeps them in order per chat, and hands out only what is due', async () => {
      expect(await store.accept([{ kind: 'message', message: message('a') }, { kind: 'message', message: message('b', 'chat-2') }], at)).toEqual({ chats: ['chat-1', 'chat-2'], duplicates: 0 });
      expect(await store.accept([{ kind: 'message', message: message('a') }, { kind: 'message', message: message('c') }], at)).toEqual({ chats: ['chat-1'], duplicates: 1 });
      expect(await store.chatsWithWork(at, 10)).toEqual(['chat-1', 'chat-2']);
      const seen: string[] = [];
      for (;;) {
        const item = await store.withChat('chat-1', async (tx) => {
          const next = await tx.nextInbox(at);
          if (next) await tx.finishInbox(next.seq);
          return next;
        });
        if (!item) break;
        if (item.work.kind === 'message') seen.push(item.work.message.id);
      }
      expect(seen).toEqual(['a', 'c']);
      expect(await store.chatsWithWork(at, 10)).toEqual(['chat-2']);
    });

    it('keeps the message as sent (text, type, name, time) and scheduled work waits for its time', async () => {
      await store.accept([{ kind: 'message', message: { ...message('v'), text: '', type: 'voice', name: 'Ana', mediaId: 'm1', mimeType: 'audio/ogg' } }], at);
      const item = await store.withChat('chat-1', (tx) => tx.nextInbox(at));
      expect(item?.work).toEqual({ kind: 'message', message: { id: 'v', chat: 'chat-1', text: '', type: 'voice', receivedAt: at, name: 'Ana', mediaId: 'm1', mimeType: 'audio/ogg' } });
      await store.withChat('chat-3', (tx) => tx.schedule({ kind: 'release', chat: 'chat-3' }, later(MINUTE)));
      expect(await store.chatsWithWork(at, 10)).toEqual(['chat-1']);
      expect((await store.nextWorkAt())?.toISOString()).toBe(at.toISOString());
      expect(await store.chatsWithWork(later(MINUTE), 10)).toEqual(['chat-1', 'chat-3']);
    });

    it('a transaction that throws changes nothing', async () => {
      await store.accept([{ kind: 'message', message: message('x') }], at);
      await expect(store.withChat('chat-1', async (tx) => {
        const item = await tx.nextInbox(at);
        await tx.finishInbox(item!.seq);
        await tx.touchContact(at, { lang: 'es' });
        await tx.saveState(initialState('es'), at);
        throw new Error('bug in the middle of a turn');
      })).rejects.toThrow('bug in the middle of a turn');
      expect(await store.state('chat-1')).toBeUndefined();
      expect(await store.chatsWithWork(at, 10)).toEqual(['chat-1']);
    });
  });

  describe('a turn through the applier', () => {
    it('commits contact, state, transcript, outbox and effects together', async () => {
      const state = { ...initialState('es'), noticeShown: true };
      const outbox = await store.withChat('chat-1', (tx) => applier.apply(tx, {
        message: { ...message('a'), name: 'Rosa' }, state, analysis: { intent: 'greeting', confidence: 0.9, lang: 'es' }, replies: ['uno', 'dos'],
        effects: [{ type: 'handoff.requested', kind: 'human', lang: 'es', summary: 'quiere una persona' }], at,
      }));
      expect(outbox.map((o) => o.text)).toEqual(['uno', 'dos']);
      expect(await store.state('chat-1')).toEqual(state);
      expect((await store.transcript('chat-1')).map((t) => [t.direction, t.author, t.text])).toEqual([['in', 'client', 'text a'], ['out', 'bot', 'uno'], ['out', 'bot', 'dos']]);
      expect((await store.effects('chat-1')).map((e) => e.effect.type)).toEqual(['handoff.requested']);
      expect(await store.openHandoffs()).toMatchObject([{ chat: 'chat-1', kind: 'human', name: 'Rosa', summary: 'quiere una persona', lang: 'es' }]);
      const [note] = await store.notifications();
      expect(note).toMatchObject({ event: 'handoff', recipient: '15550001111', priority: 1 });
      expect(note.text).toContain('Client asks for a person');
      const context = await store.withChat('chat-1', (tx) => tx.context(at));
      expect(context.handoff).toMatchObject({ kind: 'human', createdAt: at.toISOString() });
    });

    it('handoff lifecycle: a more urgent request escalates, a repeated one only renews, a new emergency alerts again', async () => {
      const request = (kind: 'human' | 'urgent', when: Date) => store.withChat('c', (tx) => applier.apply(tx, {
        message: message(`m-${kind}-${when.getTime()}`, 'c'), state: initialState(), analysis: null, replies: [],
        effects: [{ type: 'handoff.requested', kind, lang: 'en', summary: kind }], at: when,
      }));
      await request('human', at);
      await request('human', later(MINUTE));
      await request('urgent', later(2 * MINUTE));
      await request('urgent', later(3 * MINUTE));
      const [open] = await store.openHandoffs();
      expect(open).toMatchObject({ kind: 'urgent', priority: 0, activityAt: later(3 * MINUTE).toISOString() });
      expect((await store.handoffsOf('c'))).toHaveLength(1);
      const texts = (await store.notifications()).map((n) => n.text.split('\n')[0]).reverse();
      expect(texts).toEqual(['🙋 *Client asks for a person*', '🚨 *URGENT: detention reported* (escalated)', '🚨 *URGENT: detention reported* (reported again)']);
    });

    it('consultations: a time is held once; the client cancelling before staff heard of it leaves staff nothing to read', async () => {
      const book = (chat: string, id: string) => store.withChat(chat, (tx) => applier.apply(tx, {
        message: message(id, chat), state: initialState(), analysis: null, replies: [],
        effects: [{ type: 'consultation.requested', mode: 'phone', name: 'Ana Ruiz', topic: 'asylum', lang: 'en', slot: slot(15) }], at: new Date('2026-11-28T15:00:00Z'), // Saturday
      }));
      await book('c1', 'b1');
      await expect(book('c2', 'b2')).rejects.toBeInstanceOf(SlotTakenError);
      expect((await store.consultations()).map((c) => c.chat)).toEqual(['c1']);
      const [c] = await store.consultations();
      await store.withChat('c1', (tx) => applier.apply(tx, {
        message: message('b3', 'c1'), state: initialState(), analysis: null, replies: [], effects: [{ type: 'consultation.cancelled', id: c.id, lang: 'en' }], at,
      }));
      expect((await store.consultation(c.id))?.status).toBe('cancelled');
      expect(await store.openHandoffs()).toHaveLength(0);
      expect(await store.notifications()).toHaveLength(0);
      // The time is free again.
      await book('c2', 'b4');
      expect((await store.consultations()).filter((x) => x.status === 'requested').map((x) => x.chat)).toEqual(['c2']);
    });

    it('updateConsultation changes a consultation only from the status it was checked in', async () => {
      const c = await store.withChat('c1', (tx) => tx.insertConsultation({ mode: 'office', name: 'A B', topic: 't', lang: 'es', slot: slot(16), at: at.toISOString() }));
      expect(await store.withChat('c1', (tx) => tx.updateConsultation(c.id, 'confirmed', { status: 'cancelled', at: at.toISOString() }))).toBeUndefined();
      const confirmed = await store.withChat('c1', (tx) => tx.updateConsultation(c.id, 'requested', { status: 'confirmed', note: 'bring papers', at: at.toISOString() }));
      expect(confirmed).toMatchObject({ status: 'confirmed', note: 'bring papers', slot: slot(16) });
      const moved = await store.withChat('c1', (tx) => tx.updateConsultation(c.id, 'confirmed', { status: 'requested', slot: null, preference: 'mornings', at: at.toISOString() }));
      expect(moved).toMatchObject({ status: 'requested', slot: undefined, preference: 'mornings' });
      expect(await store.withChat('other', (tx) => tx.updateConsultation(c.id, 'requested', { status: 'cancelled', at: at.toISOString() }))).toBeUndefined();
    });

    it('erasure: upcoming consultations cancelled and staff told without details; every personal row gone', async () => {
      await store.accept([{ kind: 'message', message: message('e0', 'gone') }, { kind: 'message', message: message('e1', 'gone') }], at);
      await store.withChat('gone', async (tx) => {
        await applier.apply(tx, {
          message: { ...message('e1', 'gone'), name: 'Rosa Ruiz' }, state: initialState(), analysis: null, replies: ['ok'],
          effects: [{ type: 'consultation.requested', mode: 'phone', name: 'Rosa Ruiz', topic: 'my asylum', lang: 'en', slot: slot(17) }], at,
        });
      });
      await store.withChat('gone', (tx) => applier.apply(tx, {
        message: message('e2', 'gone', 'yes'), state: initialState(), analysis: null, replies: ['deleted'], effects: [{ type: 'contact.erased', lang: 'en' }], at,
      }));
      expect(await store.transcript('gone')).toHaveLength(0);
      expect(await store.state('gone')).toBeUndefined();
      expect(await store.handoffsOf('gone')).toHaveLength(0);
      expect(await store.effects('gone')).toHaveLength(0);
      expect(await store.chatsWithWork(at, 10)).toEqual([]);
      const [c] = await store.consultations();
      expect(c).toMatchObject({ chat: 'erased', status: 'cancelled', name: undefined, topic: undefined });
      const notes = await store.notifications();
      expect(notes).toHaveLength(1);
      expect(notes[0].text).toContain('erased their data');
      expect(notes[0].text).not.toContain('Rosa');
      // Only the reply saying it was done is left to send; once sent, it goes too.
      const [reply] = await store.claimOutbox('me', at, MINUTE, 10);
      expect(reply).toMatchObject({ chat: 'gone', text: 'deleted' });
      await store.markSent([reply.id], at);
      expect(await store.claimOutbox('me', later(2 * MINUTE), MINUTE, 10)).toEqual([]);
      // The message ids stay known (a redelivery is not answered again), attached to no one.
      expect((await store.accept([{ kind: 'message', message: message('e1', 'gone') }], at)).duplicates).toBe(1);
    });

    it('an erasure scope is applied as a whole', async () => {
      await store.withChat('z', (tx) => tx.touchContact(at, { name: 'Z', lang: 'en', inbound: true }));
      await store.withChat('z', (tx) => tx.erase(ERASURE_SCOPE));
      expect(await store.withChat('z', (tx) => tx.contact())).toBeUndefined();
    });
  });

  describe('outbox', () => {
    it('each chat\'s replies go out in order: only the oldest unsent reply of a chat is handed out, once', async () => {
      await store.withChat('a', (tx) => tx.enqueue(['a1', 'a2'], at));
      await store.withChat('b', (tx) => tx.enqueue(['b1'], at));
      const first = await store.claimOutbox('s1', at, MINUTE, 10);
      expect(first.map((e) => e.text)).toEqual(['a1', 'b1']);
      expect(await store.claimOutbox('s2', at, MINUTE, 10)).toEqual([]); // leased
      await store.markSent([first[0].id], at);
      expect((await store.claimOutbox('s2', at, MINUTE, 10)).map((e) => e.text)).toEqual(['a2']);
      expect(await store.outboxState(first[0].id)).toBe(true);
      expect(await store.outboxState(first[1].id)).toBe(false);
    });

    it('a failed reply waits for its retry and holds back the chat\'s later replies; a lease that ends is taken over', async () => {
      await store.withChat('a', (tx) => tx.enqueue(['a1', 'a2'], at));
      const [a1] = await store.claimOutbox('s1', at, MINUTE, 10);
      await store.markSendFailed(a1.id, 'HTTP 500', later(30_000), at);
      expect(await store.claimOutbox('s1', later(10_000), MINUTE, 10)).toEqual([]);
      expect((await store.nextOutboxAt())?.toISOString()).toBe(later(30_000).toISOString());
      const [again] = await store.claimOutbox('s1', later(30_000), MINUTE, 10);
      expect(again).toMatchObject({ text: 'a1', attempts: 1 });
      // s1 dies with the reply claimed: after the lease, another server takes it.
      expect(await store.claimOutbox('s2', later(60_000), MINUTE, 10)).toEqual([]);
      expect((await store.claimOutbox('s2', later(91_000), MINUTE, 10)).map((e) => e.text)).toEqual(['a1']);
    });

    it('a claim is renewed or given back only by its owner; once another sender took it over, it is theirs', async () => {
      await store.withChat('a', (tx) => tx.enqueue(['a1'], at));
      await store.withChat('b', (tx) => tx.enqueue(['b1'], at));
      const [a1, b1] = await store.claimOutbox('s1', at, MINUTE, 10);
      // s1 is slow: its lease on a1 ends and s2 takes it over.
      const [taken] = await store.claimOutbox('s2', later(61_000), MINUTE, 10, 'a');
      expect(taken.id).toBe(a1.id);
      expect(await store.renewOutbox([a1.id, b1.id], 's1', later(62_000), MINUTE)).toEqual([b1.id]);
      await store.releaseOutbox([a1.id], 's1'); // not s1's any more: s2 keeps it
      expect(await store.claimOutbox('s3', later(62_000), MINUTE, 10, 'a')).toEqual([]);
      // b1 renewed at 62 s: still held at 100 s, free after 122 s.
      expect(await store.claimOutbox('s3', later(100_000), MINUTE, 10, 'b')).toEqual([]);
      expect((await store.claimOutbox('s3', later(123_000), MINUTE, 10, 'b')).map((e) => e.id)).toEqual([b1.id]);
      await store.releaseOutbox([b1.id], 's3');
      expect((await store.claimOutbox('s4', later(123_000), MINUTE, 10, 'b')).map((e) => e.id)).toEqual([b1.id]);
      await store.markSent([b1.id], later(124_000));
      expect(await store.renewOutbox([b1.id], 's4', later(124_000), MINUTE)).toEqual([]);
    });

    it('the claims of a dead sender on replies and notifications are listed and given back at once; others are kept', async () => {
      await store.withChat('a', (tx) => tx.enqueue(['a1'], at));
      await store.withChat('b', (tx) => tx.enqueue(['b1'], at));
      await store.withChat('a', (tx) => tx.addNotifications([
        { chat: 'a', event: 'handoff', priority: 0, recipient: '1555', text: 'urgent', at: at.toISOString(), notBefore: at.toISOString() },
      ]));
      await store.claimOutbox('dead', at, MINUTE, 1, 'a');
      await store.claimOutbox('live', at, MINUTE, 1, 'b');
      await store.claimNotifications('dead', at, MINUTE, 10);
      expect((await store.claimOwners(at)).sort()).toEqual(['dead', 'live']);
      expect(await store.claimOwners(later(2 * MINUTE))).toEqual([]); // run out: nothing held
      expect(await store.releaseClaimsOf(['dead'])).toBe(2);
      expect((await store.claimOutbox('new', at, MINUTE, 10)).map((e) => e.text)).toEqual(['a1']);
      expect((await store.claimNotifications('new', at, MINUTE, 10)).map((n) => n.text)).toEqual(['urgent']);
      expect(await store.releaseClaimsOf([])).toBe(0);
    });

    it('a reply given up is shown as failed and no longer blocks the chat', async () => {
      await store.withChat('a', (tx) => tx.enqueue(['a1', 'a2'], at));
      await store.withChat('a', (tx) => tx.touchContact(at, { inbound: true }));
      const [a1] = await store.claimOutbox('s1', at, MINUTE, 10);
      expect(a1.lastInboundAt).toBe(at.toISOString());
      await store.markSendFailed(a1.id, 'window closed', undefined, at);
      expect(await store.outboxState(a1.id)).toBe('failed');
      expect((await store.failedReplies()).map((f) => [f.text, f.lastError])).toEqual([['a1', 'window closed']]);
      expect((await store.claimOutbox('s1', at, MINUTE, 10)).map((e) => e.text)).toEqual(['a2']);
    });
  });

  describe('staff notifications', () => {
    it('are claimed once, retried, given up, and dropped by subject while unsent', async () => {
      await store.withChat('a', (tx) => tx.addNotifications([
        { chat: 'a', event: 'handoff', subject: 'consultation:1', priority: 2, recipient: '1555', text: 'one', at: at.toISOString(), notBefore: at.toISOString() },
        { chat: 'a', event: 'handoff', priority: 0, recipient: '1555', text: 'urgent', at: at.toISOString(), notBefore: at.toISOString() },
        { chat: 'a', event: 'handoff', priority: 1, recipient: '1555', text: 'later', at: at.toISOString(), notBefore: later(MINUTE).toISOString() },
      ]));
      const due = await store.claimNotifications('s1', at, MINUTE, 10);
      expect(due.map((n) => n.text)).toEqual(['urgent', 'one']);
      expect(await store.claimNotifications('s2', at, MINUTE, 10)).toEqual([]);
      await store.markNotificationSent(due[0].id, at);
      await store.markNotificationFailed(due[1].id, 'offline', later(30_000), at);
      expect((await store.nextNotificationAt())?.toISOString()).toBe(later(30_000).toISOString());
      expect(await store.withChat('a', (tx) => tx.dropPendingNotifications('consultation:1'))).toBe(1);
      expect((await store.claimNotifications('s2', later(2 * MINUTE), MINUTE, 10)).map((n) => n.text)).toEqual(['later']);
    });
  });

  describe('several servers', () => {
    it('periodic work runs once per period, whichever server asks', async () => {
      const other = await b.other();
      expect(await store.claimJob('purge', at, 24 * 60 * MINUTE)).toBe(true);
      expect(await other.claimJob('purge', at, 24 * 60 * MINUTE)).toBe(false);
      expect(await other.claimJob('purge', later(25 * 60 * MINUTE), 24 * 60 * MINUTE)).toBe(true);
    });

    it('a named lease has one owner until it expires or is released', async () => {
      const other = await b.other();
      expect(await store.acquireLease('whatsapp-web', 'server-1', at, MINUTE)).toBe(true);
      expect(await other.acquireLease('whatsapp-web', 'server-2', later(30_000), MINUTE)).toBe(false);
      expect(await store.acquireLease('whatsapp-web', 'server-1', later(30_000), MINUTE)).toBe(true); // renewed
      expect(await other.acquireLease('whatsapp-web', 'server-2', later(80_000), MINUTE)).toBe(false);
      expect(await other.acquireLease('whatsapp-web', 'server-2', later(91_000), MINUTE)).toBe(true); // expired
      await other.releaseLease('whatsapp-web', 'server-2');
      expect(await store.acquireLease('whatsapp-web', 'server-1', later(92_000), MINUTE)).toBe(true);
    });

    it('one chat\'s transactions run one at a time (PostgreSQL: across connections, by the chat\'s lock)', async () => {
      // Two SQLite connections in one process would wait on each other's file lock; one process has one store.
      const other = store.backend === 'postgres' ? await b.other() : store;
      const order: string[] = [];
      let second: Promise<void> | undefined;
      const first = store.withChat('same', async (tx) => {
        order.push('first:start');
        await tx.touchContact(at, { lang: 'en' });
        // The first holds the chat: the second, started now on another connection, must wait for it.
        second = other.withChat('same', async () => {
          order.push('second');
        });
        await new Promise((done) => setTimeout(done, 100));
        order.push('first:end');
      });
      await first;
      await second;
      expect(order).toEqual(['first:start', 'first:end', 'second']);
    });
  });

  describe('retention', () => {
    it('removes what the plan says and keeps open cases and upcoming consultations', async () => {
      const say = (chat: string, when: Date, effects: Parameters<TurnApplier['apply']>[1]['effects'] = []) =>
        store.withChat(chat, (tx) => applier.apply(tx, { message: message(`${chat}-${when.getTime()}`, chat), state: initialState(), analysis: null, replies: ['r'], effects, at: when }));
      await say('old', at);
      await say('open', at, [{ type: 'handoff.requested', kind: 'human', lang: 'en', summary: 's' }]);
      await say('recent', later(60 * 24 * 60 * MINUTE));
      const counts = await store.purge(retentionPlan(later(91 * 24 * 60 * MINUTE), 90));
      expect(counts.messages).toBe(4);
      expect(counts.contacts).toBe(1);
      expect(await store.state('old')).toBeUndefined();
      expect(await store.state('open')).toBeDefined();
      expect((await store.transcript('recent')).length).toBe(2);
    });
  });
});

/** A consultation time race between two servers, possible only where transactions run concurrently (PostgreSQL). */
(postgresAvailable ? describe : describe.skip)('postgres: a consultation time raced by two servers', () => {
  it('is refused by the exclusion constraint for the second (SlotTakenError), whatever the order of commits', async () => {
    const pg = await postgresStore();
    const { PostgresStore } = await import('../../src/storage/postgres/store');
    const other = await PostgresStore.connect(pg.url, { max: 2 });
    try {
      let both!: () => void;
      const bothRead = new Promise<void>((done) => (both = done));
      let reads = 0;
      const book = (s: Store, chat: string) => s.withChat(chat, async (tx) => {
        await tx.context(at); // both read a free calendar…
        if (++reads === 2) both();
        await bothRead;
        return tx.insertConsultation({ mode: 'phone', lang: 'en', slot: slot(15), at: at.toISOString() }); // …then both write
      });
      const results = await Promise.allSettled([book(pg.store, 'r1'), book(other, 'r2')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(SlotTakenError);
      expect((await pg.store.consultations()).filter((c: ConsultationRecord) => c.status === 'requested')).toHaveLength(1);
    } finally {
      await other.close();
      await pg.dispose();
    }
  });
});

/** Seen in CI: two servers starting together on a new database, one refused by a duplicate schema name. */
(postgresAvailable ? describe : describe.skip)('postgres: servers starting together on a new schema', () => {
  it('all connect, and the schema is created and migrated once', async () => {
    const { PostgresStore } = await import('../../src/storage/postgres/store');
    const schema = schemaName();
    const url = schemaUrl(schema);
    try {
      const stores = await Promise.all(Array.from({ length: 6 }, () => PostgresStore.connect(url, { max: 1 })));
      expect(new Set(await Promise.all(stores.map((s) => s.schemaVersion()))).size).toBe(1);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });
});
