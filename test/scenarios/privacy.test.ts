/**
 * Journey 9 (privacy: stop, delete, retention) and the flood limit (SPEC §11), in both languages. Erasure is checked in
 * the database files themselves: nothing the client sent may be readable after `delete` + `yes`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { retentionPlan } from '../../src/privacy/retention';
import type { HarnessOptions } from '../helpers';
import { scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();
let h: H;
const open = async (options: HarnessOptions = {}) => (h = await suite.harness(options));
const say = (chat: string, text: string, extra = {}) => suite.say(h, chat, text, extra);
const staffInbox = () => suite.staffInbox(h);
const HOUR = 3_600_000;

/** Every byte of the SQLite database and its WAL, as text. */
function databaseFiles(file: string): string {
  const dir = dirname(file);
  return readdirSync(dir).filter((n) => n.startsWith('puente.db')).map((n) => readFileSync(join(dir, n)).toString('latin1')).join('\n');
}

describe('erasure', () => {
  it('delete, confirmed: nothing the client sent stays readable in the database or its WAL; the booking is cancelled and staff told', async () => {
    await open();
    const chat = '15557654321@c.us';
    const markers = ['Zebulon Quartermaine', 'Xylophonic asylum matter', 'Quixotic urgent marker'];
    await say(chat, 'book a consultation', { name: 'Profilename Uniquely' });
    await say(chat, 'phone');
    await say(chat, markers[0]);
    await say(chat, '1');
    await say(chat, markers[1]);
    await say(chat, 'yes');
    await h.runner.staffMessage(chat, 'Staffreply Distinctive note');
    await say(chat, `ICE took my brother this morning, ${markers[2]}`);
    await staffInbox();
    expect(await say(chat, 'delete')).toContain('Do you want me to *delete*');
    expect(await say(chat, 'yes')).toContain('were deleted');
    expect(await h.store.transcript(chat)).toHaveLength(0);
    expect(await h.store.state(chat)).toBeUndefined();
    expect(await h.store.handoffsOf(chat)).toHaveLength(0);
    expect(await h.store.effects(chat)).toHaveLength(0);
    const [consultation] = await h.store.consultations();
    expect(consultation).toMatchObject({ status: 'cancelled', name: undefined, topic: undefined, chat: 'erased' });
    const texts = await staffInbox();
    expect(texts[texts.length - 1]).toMatch(/Consultation cancelled[\s\S]*erased their data/);
    const files = databaseFiles(h.dbFile);
    for (const marker of [...markers, 'Profilename Uniquely', 'Staffreply Distinctive', '15557654321', '7654321']) expect(files).not.toContain(marker);
    // Writing again starts from zero, with the first-contact notice.
    expect(await say(chat, 'hola')).toContain('Antes de seguir');
  });

  it('borrar, refused: nothing is deleted', async () => {
    await open();
    await say('p2', 'hola, mi nombre es Rosa');
    expect(await say('p2', 'borrar')).toContain('*borre*');
    expect(await say('p2', 'no')).toContain('no se borró nada');
    expect((await h.store.transcript('p2')).length).toBeGreaterThan(2);
  });

  it('an unclear answer to the delete question is asked again', async () => {
    await open();
    await say('p3', 'delete');
    expect(await say('p3', 'what?')).toContain('reply *yes* or *no*');
    expect(await say('p3', 'y')).toContain('were deleted');
  });
});

describe('stop', () => {
  beforeEach(() => open());

  it.each([['es', 'baja', 'inicio', 'no recibirá más mensajes', 'Bienvenido de nuevo'], ['en', 'stop', 'start', 'not receive more messages', 'Welcome back']] as const)(
    '%s: %s stops every reply until %s; delete still works while stopped',
    async (lang, stop, start, stopped, back) => {
      const chat = `s-${lang}`;
      await say(chat, lang === 'es' ? 'hola' : 'hello');
      expect(await say(chat, stop)).toContain(stopped);
      expect(await say(chat, lang === 'es' ? 'que es 287g' : 'what is 287g')).toBe('');
      expect(await say(chat, start)).toContain(back);
      await say(chat, stop);
      expect(await say(chat, lang === 'es' ? 'borrar' : 'delete')).toMatch(/\*borre\*|\*delete\*/);
      expect(await say(chat, lang === 'es' ? 'si' : 'yes')).toMatch(/borrados|deleted/);
    },
  );

  it('"stop texting me" in words is stop', async () => {
    await say('s1', 'hi');
    expect(await say('s1', 'please stop texting me')).toContain('not receive more messages');
  });
});

describe('the flood limit never drops a message', () => {
  beforeEach(() => open());

  it('past the limit: one notice in the client\'s language, every message kept, then one answer when the limit lifts', async () => {
    await say('f1', 'hola');
    const replies: string[] = [];
    for (let i = 0; i < 11; i++) replies.push(await say('f1', `hola ${i}`));
    replies.push(await say('f1', 'que es el habeas corpus'));
    replies.push(await say('f1', 'y cuanto cobran por la consulta'));
    replies.push(await say('f1', 'ok'));
    const notices = replies.filter((r) => r.includes('Está enviando muchos mensajes'));
    expect(notices).toHaveLength(1);
    expect((await h.store.transcript('f1')).filter((t) => t.direction === 'in')).toHaveLength(15);
    // The client writes nothing more: when the limit lifts, the held messages are answered once, together.
    h.clock.advance(61_000);
    const before = h.sent.length;
    await h.runner.sweep();
    const caughtUp = h.sent.slice(before).map((s) => s.text).join('\n\n');
    expect(caughtUp).toContain('Gracias por esperar. Leí sus');
    expect(caughtUp).toContain('Hábeas corpus');
    expect(caughtUp).toContain('Costos');
    const after = h.sent.length;
    await h.runner.sweep();
    expect(h.sent.length).toBe(after); // once
  });

  it('held messages are answered with the next message when the client writes again after the limit', async () => {
    await say('f2', 'hi');
    for (let i = 0; i < 12; i++) await say('f2', `hello ${i}`);
    await say('f2', 'what is habeas corpus');
    h.clock.advance(61_000);
    const reply = await say('f2', 'hello?');
    expect(reply).toContain('Thank you for waiting');
    expect(reply).toContain('Habeas corpus');
  });
});

describe('retention', () => {
  beforeEach(() => open());

  it('the purge removes transcripts older than RETENTION_DAYS and keeps recent ones and open cases', async () => {
    await say('old', 'my name is Peter and my case is stuck');
    await say('kept', 'agent');
    h.clock.advance(60 * 24 * HOUR);
    await say('recent', 'hello');
    h.clock.advance(31 * 24 * HOUR); // 'old' is now 91 days old, 'recent' 31
    const counts = await h.store.purge(retentionPlan(h.clock.now(), 90));
    expect(counts.messages).toBeGreaterThan(0);
    expect(await h.store.transcript('old')).toHaveLength(0);
    expect(await h.store.state('old')).toBeUndefined();
    expect((await h.store.transcript('recent')).length).toBeGreaterThan(0);
    expect(await h.store.openHandoffs()).toHaveLength(1);
  });

  it('runs once a day across servers sharing the database', async () => {
    const other = await suite.harness({ dbFile: h.dbFile });
    const now = h.clock.now();
    expect(await h.store.claimJob('retention-purge', now, 24 * HOUR)).toBe(true);
    expect(await other.store.claimJob('retention-purge', now, 24 * HOUR)).toBe(false);
    expect(await other.store.claimJob('retention-purge', new Date(now.getTime() + 25 * HOUR), 24 * HOUR)).toBe(true);
  });
});
