/**
 * Group commit, on both backends: many chats' transactions share one commit, and none of them can tell. Each is
 * committed before its caller hears of it, one that fails fails alone, and one chat's work still runs in order. On
 * PostgreSQL also: a chat held by another server does not hold up the rest.
 */
import { Client } from 'pg';
import { initialState } from '../../src/dialogue/engine';
import { SlotTakenError, type Store } from '../../src/store';
import { PostgresStore } from '../../src/storage/postgres/store';
import { storeBackends } from '../support/backends';
import { describePostgres, postgresStore } from '../support/postgres';

const at = new Date('2026-11-30T15:00:00Z');
const slot = { start: '2026-12-01T15:00:00.000Z', end: '2026-12-01T15:40:00.000Z' };

/** A turn's write through the store's usual path: load with the message id claimed, then contact, state, transcript, reply. */
const turn = (store: Store, chat: string, id: string, reply = `reply to ${id}`) =>
  store.withChat(chat, async (tx) => {
    const load = await tx.load(at, id);
    if (!load.claimed) return [];
    return tx.writeTurn({
      at, contact: { lang: 'en', inbound: true }, state: initialState('en'),
      messages: [
        { direction: 'in', author: 'client', messageId: id, type: 'text', text: `text ${id}`, at: at.toISOString() },
        { direction: 'out', author: 'bot', type: 'text', text: reply, at: at.toISOString() },
      ],
      replies: [reply],
    });
  });

const backends = storeBackends();

describe.each(backends)('%s group commit', (_name, make) => {
  let b: Awaited<ReturnType<typeof make>>;
  let store: Store;
  beforeEach(async () => {
    b = await make();
    store = b.store;
  });
  afterEach(() => b.dispose());

  it('inbox work of many chats drained side by side: each chat\'s items once and in order, and none left', async () => {
    const chats = Array.from({ length: 10 }, (_, i) => `inbox-${i}`);
    const message = (chat: string, n: number) => ({ id: `${chat}-${n}`, chat, text: `${n}`, type: 'text' as const, receivedAt: at });
    await store.accept(chats.flatMap((chat) => [1, 2, 3].map((n) => ({ kind: 'message' as const, message: message(chat, n) }))), at);
    const handled = await Promise.all(chats.map(async (chat) => {
      const seen: string[] = [];
      for (;;) {
        const more = await store.withChat(chat, async (tx) => {
          const item = await tx.nextInbox(at);
          if (!item) return false;
          if (item.work.kind === 'message') seen.push(item.work.message.text ?? '');
          await tx.finishInbox(item.seq);
          return (await tx.nextInbox(at)) !== undefined;
        });
        if (!more) return seen;
      }
    }));
    expect(handled).toEqual(chats.map(() => ['1', '2', '3']));
    expect(await store.chatsWithWork(at, 100)).toEqual([]);
  });

  it('deliveries stored together keep their order, a voice note\'s bytes included, and a repeat among them is stored once', async () => {
    const text = (id: string, body: string) => ({ kind: 'message' as const, message: { id, chat: 'order', text: body, type: 'text' as const, receivedAt: at } });
    const voice = { kind: 'message' as const, message: { id: 'v', chat: 'order', text: '', type: 'voice' as const, receivedAt: at, attachment: { mimeType: 'audio/ogg', data: Buffer.from('OggS voice') } } };
    const results = await Promise.all([
      store.accept([text('a', 'first')], at),
      store.accept([text('b', 'second'), voice, text('c', 'third')], at),
      store.accept([text('b', 'second'), text('d', 'fourth')], at), // Meta's redelivery of b, with a new one
    ]);
    expect(results.map((r) => r.duplicates)).toEqual([0, 0, 1]);
    const seen: string[] = [];
    for (;;) {
      const label = await store.withChat('order', async (tx) => {
        const next = await tx.nextInbox(at);
        if (next?.work.kind !== 'message') return undefined;
        await tx.finishInbox(next.seq);
        const m = next.work.message;
        // The bytes wait in media, linked by the message id; the inbox holds the message only.
        return m.type === 'voice' ? `voice, kept: ${(await tx.mediaFor(m.id)) !== undefined}` : m.text;
      });
      if (!label) break;
      seen.push(label);
    }
    expect(seen).toEqual(['first', 'second', 'voice, kept: true', 'third', 'fourth']);
  });

  it('a message id is claimed once even when its two deliveries are in flight together', async () => {
    const [first, second] = await Promise.all([turn(store, 'c1', 'same-id'), turn(store, 'c1', 'same-id'), turn(store, 'c2', 'other')]);
    expect([first.length, second.length].sort()).toEqual([0, 1]);
    expect((await store.transcript('c1')).length).toBe(2);
  });

  it('a turn that fails fails alone: the others of its group are committed, its own error reaches its caller', async () => {
    const chats = Array.from({ length: 12 }, (_, i) => `ok-${i}`);
    const results = await Promise.allSettled([
      ...chats.slice(0, 6).map((chat) => turn(store, chat, `m-${chat}`)),
      store.withChat('broken', async (tx) => {
        await tx.load(at, 'm-broken');
        await tx.touchContact(at, { lang: 'es' });
        throw new Error('a bug in the middle of a turn');
      }),
      ...chats.slice(6).map((chat) => turn(store, chat, `m-${chat}`)),
    ]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(['a bug in the middle of a turn']);
    for (const chat of chats) expect((await store.transcript(chat)).length).toBe(2);
    expect(await store.state('broken')).toBeUndefined();
    // Its message id was not kept either: the message can still be handled.
    expect(await turn(store, 'broken', 'm-broken')).toHaveLength(1);
  });

  it('a SQL error in one turn (a value the database refuses) does not take the others down', async () => {
    const results = await Promise.allSettled([
      turn(store, 'a', 'm-a'),
      store.withChat('b', async (tx) => {
        await tx.load(at);
        await tx.updateHandoff(999_999, { status: 'resolved' }); // no such case in this chat
      }),
      turn(store, 'c', 'm-c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.transcript('a')).length).toBe(2);
    expect((await store.transcript('c')).length).toBe(2);
  });

  it('two chats of one group asking for the same consultation time: one gets it, the other hears SlotTakenError', async () => {
    const book = (chat: string) => store.withChat(chat, async (tx) => {
      await tx.load(at);
      return tx.insertConsultation({ mode: 'phone', lang: 'en', slot, at: at.toISOString() });
    });
    const results = await Promise.allSettled([book('x'), book('y'), turn(store, 'z', 'm-z')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(SlotTakenError);
    expect((await store.consultations()).filter((c) => c.status === 'requested')).toHaveLength(1);
  });

  it('one chat\'s transactions run one at a time and in the order asked, while other chats are grouped around them', async () => {
    const seen: string[] = [];
    const work = Array.from({ length: 10 }, (_, i) => store.withChat('ordered', async (tx) => {
      seen.push(`start ${i}`);
      await tx.touchContact(at, { lang: 'en' });
      await tx.saveState((await tx.state()) ?? initialState('en'), at);
      seen.push(`end ${i}`);
    }));
    const others = Array.from({ length: 10 }, (_, i) => turn(store, `around-${i}`, `m-${i}`));
    await Promise.all([...work, ...others]);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
  });
});

describePostgres('PostgreSQL group commit', () => {
  let pg: Awaited<ReturnType<typeof postgresStore>>;
  let store: PostgresStore;
  beforeEach(async () => {
    pg = await postgresStore();
    store = pg.store;
  });
  afterEach(() => pg.dispose());

  /** Reads rows' transaction ids: turns committed together share one. */
  async function writers(chats: string[]): Promise<number> {
    const client = new Client({ connectionString: pg.url.replace(/\?.*$/, '') });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT COUNT(DISTINCT xmin::text)::int AS n FROM "${store.schema}".conversations WHERE chat = ANY($1)`, [chats]);
      return rows[0].n;
    } finally {
      await client.end();
    }
  }

  it('turns of many chats at once are committed together, each with its own reply, before their callers hear', async () => {
    const chats = Array.from({ length: 40 }, (_, i) => `chat-${i}`);
    const outboxes = await Promise.all(chats.map((chat) => turn(store, chat, `m-${chat}`)));
    outboxes.forEach((outbox, i) => expect(outbox.map((o) => [o.chat, o.text])).toEqual([[chats[i], `reply to m-${chats[i]}`]]));
    for (const chat of chats) expect((await store.transcript(chat)).map((m) => m.text)).toEqual([`text m-${chat}`, `reply to m-${chat}`]);
    // Fewer commits than turns: the waiting turns shared transactions.
    expect(await writers(chats)).toBeLessThan(chats.length);
  });

  it('webhooks stored together each hear their own outcome; a delivery the database refuses does not refuse the others', async () => {
    const delivery = (chat: string, id: string, text: string) => store.accept([{ kind: 'message', message: { id, chat, text, type: 'text', receivedAt: at } }], at);
    const results = await Promise.allSettled([
      delivery('w1', 'w1-a', 'hola'),
      delivery('w2', 'w2-a', 'a NUL byte \u0000 PostgreSQL text cannot hold'),
      delivery('w3', 'w3-a', 'hello'),
      delivery('w1', 'w1-a', 'hola'), // Meta's redelivery of the first
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<{ duplicates: number }>).value.duplicates).toBe(0);
    expect((results[3] as PromiseFulfilledResult<{ duplicates: number }>).value.duplicates).toBe(1);
    expect((await store.chatsWithWork(at, 10)).sort()).toEqual(['w1', 'w3']);
  });

  it('a chat another server holds waits for its lock without holding up the other chats', async () => {
    const other = await PostgresStore.connect(pg.url, { max: 2 });
    try {
      let release!: () => void;
      const held = new Promise<void>((done) => (release = done));
      let holding!: () => void;
      const holds = new Promise<void>((done) => (holding = done));
      const elsewhere = other.withChat('busy', async (tx) => {
        await tx.touchContact(at, { lang: 'en' });
        holding();
        await held;
      });
      await holds;
      const order: string[] = [];
      const busy = turn(store, 'busy', 'm-busy').then(() => order.push('busy'));
      const free = Promise.all(['f1', 'f2', 'f3'].map((chat) => turn(store, chat, `m-${chat}`))).then(() => order.push('free'));
      await free;
      expect(order).toEqual(['free']);
      release();
      await Promise.all([elsewhere, busy]);
      expect(order).toEqual(['free', 'busy']);
      expect((await store.transcript('busy')).length).toBe(2);
    } finally {
      await other.close();
    }
  });

});
