/**
 * Whole conversations, both languages, through the real engine, turn runner and a SQLite file.
 * User says → bot answers, as a client would experience it.
 */
import { harness } from '../helpers';

type H = ReturnType<typeof harness>;
let h: H;
beforeEach(() => (h = harness()));
afterEach(() => h.close());

const NOTICE_EN = 'not legal advice';
const NOTICE_ES = 'no asesoría legal';

/** Every reply the suite sees, swept at the end for things that must never reach a client. */
const allReplies: string[] = [];
async function say(chat: string, text: string, extra = {}) {
  const replies = await h.say(chat, text, extra);
  allReplies.push(...replies);
  return replies;
}

describe('first contact and general information', () => {
  it('answers an English question with the right explainer, the footer and the notice once', async () => {
    const [first] = await say('c1', 'what is a writ of mandamus');
    expect(first).toContain('mandamus');
    expect(first).toContain('attorney–client');
    expect(first).toMatch(/\*1\* Book a consultation/);
    expect(first).toMatch(/\*2\* Talk to a person/);
    const [second] = await say('c1', 'what are my rights if ice comes to my door');
    expect(second).toMatch(/warrant/i);
    expect(second).not.toContain('attorney–client');
    expect(second).toContain('General information, not legal advice');
  });

  it('answers in Spanish, accents or not, and shows the Spanish notice once', async () => {
    const [first] = await say('c2', 'q es el 287g');
    expect(first).toContain('287(g)');
    expect(first).toContain(NOTICE_ES);
    const [second] = await say('c2', 'mi caso de uscis lleva 2 años sin respuesta q hago');
    expect(second).toMatch(/USCIS/);
    expect(second).toContain('Información general, no asesoría legal');
    expect(second.match(/relación abogado/g)).toBeNull();
  });

  it('understands a misspelled question', async () => {
    const [reply] = await say('c3', 'mi esposo esta detendio hace 6 meses como lo saco con un habeas corpu');
    expect(reply).toMatch(/[Hh]ábeas corpus/);
  });
});

describe('not understood', () => {
  it('asks "did you mean" with candidates and the menu option, then offers a person on the second miss', async () => {
    const [first] = await say('c4', 'question about my case');
    expect(first).toMatch(/Did you mean|Quiso decir/);
    expect(first).toMatch(/\*1\* /);
    expect(first).toMatch(/\*0\* Menu/);
    const [second] = await say('c4', 'zzzz qqqq');
    expect(second).toContain('Talk to a person');
    expect(second).toContain('Send my question to the team');
    const [advice] = await say('c4', '2');
    expect(advice).toContain('sent to our team');
    const effects = h.store.effects('c4').map((e) => e.effect);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'handoff.requested', kind: 'advice' }));
  });

  it('picks a "did you mean" candidate by number', async () => {
    // Messages that sit between topics; which one the model is unsure about depends on the training data.
    const unsure = ['la policia me paro', 'question about my case', 'tengo problemas con ice y la policia', 'my papers and the police'];
    let first = '';
    let chat = '';
    for (const [i, text] of unsure.entries()) {
      chat = `c5-${i}`;
      first = (await say(chat, text))[0];
      if (/Did you mean|Quiso decir/.test(first)) break;
    }
    expect(first).toMatch(/Did you mean|Quiso decir/);
    const options = first.split('\n').filter((l) => /^\*[1-9]\*/.test(l));
    // Pick the first informational topic (booking and "a person" start other journeys, tested elsewhere).
    const topic = options.find((l) => !/consulta|person/i.test(l));
    expect(topic).toBeDefined();
    const [picked] = await say(chat, topic!.slice(1, 2));
    expect(picked).toMatch(/General information, not legal advice|Información general, no asesoría legal/);
  });

  it('answers gibberish without guessing', async () => {
    const [reply] = await say('c6', 'asdfgh');
    expect(reply).not.toMatch(/General information, not legal advice/);
    expect(reply).toMatch(/understand|Menu/);
  });
});

describe('menu', () => {
  it('shows the numbered menu, picks a topic by number, and 0 returns to it', async () => {
    const [menu] = await say('c7', 'menu');
    expect(menu).toMatch(/\*1\* Emergency/);
    expect(menu).toMatch(/\*4\* Habeas corpus/);
    const [topic] = await say('c7', '4');
    expect(topic).toMatch(/habeas/i);
    const [again] = await say('c7', '0');
    expect(again).toMatch(/\*1\* Emergency/);
    const [outOfRange] = await say('c7', '42');
    expect(outOfRange).toMatch(/number from 1 to 17/);
  });

  it('works in Spanish with menú and a number from the footer', async () => {
    const [menu] = await say('c8', 'menú');
    expect(menu).toMatch(/\*1\* Emergencia/);
    await say('c8', 'que es un detainer de ice');
    const [person] = await say('c8', '2');
    expect(person).toMatch(/persona|equipo/i);
    expect(h.store.effects('c8').map((e) => e.effect)).toContainEqual(expect.objectContaining({ type: 'handoff.requested', kind: 'human', lang: 'es' }));
  });
});

describe('language', () => {
  it('detects the language of short accentless messages and switches on request', async () => {
    const [hola] = await say('c9', 'hola buenas');
    expect(hola).toContain('Hola');
    const [english] = await say('c9', 'english');
    expect(english).toContain("I'll answer in English");
    const [menu] = await say('c9', 'menu');
    expect(menu).toContain('Here are the topics');
    const [espanol] = await say('c9', 'español');
    expect(espanol).toContain('español');
    const [thanks] = await say('c9', 'ok gracias');
    expect(thanks).toMatch(/gusto|de nada/i);
  });

  it('follows a client who changes language mid-conversation', async () => {
    await say('c10', 'hi');
    const [reply] = await say('c10', 'necesito saber cuanto cobran por la consulta');
    expect(reply).toMatch(/consulta/i);
  });
});

describe('urgent detention', () => {
  const urgent: [string, string, RegExp][] = [
    ['en', 'ICE is at my door right now what do i do', /signed by a judge/],
    ['es', 'la migra esta en mi puerta ayuda', /firmada por un juez/],
    // phrasings the classifier alone scores low
    ['en', 'they took my husband this morning, the ice agents', /signed by a judge/],
    ['es', 'agarraron a mi hijo los de inmigracion hoy', /firmada por un juez/],
    ['en', 'urgent', /signed by a judge/],
  ];
  it.each(urgent)('%s: "%s" gets the rights message, the locator, and an urgent handoff', async (_lang, text, rights) => {
    const chat = `u-${text.length}`;
    const [reply] = await say(chat, text);
    expect(reply).toMatch(rights);
    expect(reply).toContain('locator.ice.gov');
    expect(h.store.effects(chat).map((e) => e.effect)).toContainEqual(expect.objectContaining({ type: 'handoff.requested', kind: 'urgent' }));
  });

  it('collects the details that follow and acknowledges them', async () => {
    await say('u1', 'se llevaron a mi esposo ahorita');
    const [ack] = await say('u1', 'jose perez, 3 de mayo de 1985, mexico, en newark hoy a las 6am');
    expect(ack).toMatch(/Gracias/);
    const [short] = await say('u1', 'A 123 456 789');
    expect(short).toContain('Recibido');
    const details = h.store.effects('u1').filter((e) => e.effect.type === 'handoff.details');
    expect(details).toHaveLength(2);
    const [menu] = await say('u1', 'menu');
    expect(menu).toMatch(/\*1\* Emergencia/);
  });

  it('does not treat "what if" questions as emergencies', async () => {
    const [reply] = await say('u2', 'what should i do if ice comes to my house someday');
    expect(h.store.effects('u2').filter((e) => e.effect.type === 'handoff.requested')).toHaveLength(0);
    expect(reply).not.toContain('We are alerting our team');
  });
});

describe('bad input', () => {
  it('answers empty, emoji-only, huge, binary, other-language and voice messages politely', async () => {
    expect((await say('b1', '   '))[0]).toMatch(/did not receive any text/);
    expect((await say('b2', '🙏🙏😢'))[0]).toMatch(/write your question in words/);
    const huge = `my brother was detained and ${'we need help '.repeat(8000)}`;
    expect(huge.length).toBeGreaterThan(100_000);
    const replies = await say('b3', huge);
    expect(replies.join('\n')).toMatch(/read the beginning/);
    expect(h.store.transcript('b3')[0].text).toHaveLength(huge.length);
    expect((await say('b4', '\u0000\u0001\u0002\u0003'))[0]).toMatch(/did not receive any text/);
    expect((await say('b5', '我的丈夫被移民局抓走了'))[0]).toMatch(/English or Spanish/);
    expect((await say('b6', '', { type: 'voice' }))[0]).toMatch(/type/);
  });
});

describe('reliability', () => {
  it('answers the same message id once, even after a restart', async () => {
    const message = { id: 'wamid.ABC', chat: 'r1', text: 'hola', type: 'text' as const, receivedAt: new Date() };
    expect(await h.runner.handle(message)).toBe('answered');
    expect(await h.runner.handle(message)).toBe('duplicate');
    const sentBefore = h.sent.length;
    h.db.close();
    const reopened = harness({ dbFile: h.dbFile });
    try {
      expect(await reopened.runner.handle(message)).toBe('duplicate');
      expect(reopened.sent).toHaveLength(0);
    } finally {
      reopened.db.close();
    }
    expect(h.sent).toHaveLength(sentBefore);
    h = harness(); // the original's database is closed; give afterEach a fresh one
  });

  it('keeps one chat in order when messages arrive together', async () => {
    const texts = ['menu', '4', '0', '5'];
    await Promise.all(texts.map((text, i) => h.runner.handle({ id: `o${i}`, chat: 'r2', text, type: 'text', receivedAt: new Date() })));
    const inbound = h.store.transcript('r2').filter((t) => t.direction === 'in').map((t) => t.text);
    expect(inbound).toEqual(texts);
    const sent = h.sent.filter((s) => s.chat === 'r2').map((s) => s.text);
    expect(sent[1]).toMatch(/habeas/i);
    expect(sent[3]).toMatch(/287\(g\)/);
  });

  it('rate-limits a flood with one polite notice and keeps every message', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 20; i++) replies.push(...(await say('r3', `hola ${i}`)));
    expect(replies.filter((r) => r.includes('muchos mensajes'))).toHaveLength(1);
    expect(h.store.transcript('r3').filter((t) => t.direction === 'in')).toHaveLength(20);
  });

  it('stop silences the bot until start', async () => {
    await say('r4', 'hello');
    expect((await say('r4', 'stop'))[0]).toMatch(/not receive more messages/);
    expect(await say('r4', 'what is 287g')).toHaveLength(0);
    expect((await say('r4', 'start'))[0]).toMatch(/Welcome back/);
  });

  it('never logs message text or full phone numbers', async () => {
    await say('15551234567@c.us', 'my husband jose was detained today');
    const log = h.logLines.join('');
    expect(log).not.toContain('jose');
    expect(log).not.toContain('15551234567');
    expect(log).toContain('4567');
  });
});

afterAll(() => {
  expect(allReplies.length).toBeGreaterThan(20);
  for (const reply of allReplies) {
    expect(reply.trim()).not.toBe('');
    expect(reply).not.toMatch(/undefined|null|\[object|\{\{|at .*\.ts:\d+/);
  }
});
