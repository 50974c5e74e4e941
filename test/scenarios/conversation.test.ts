/**
 * Journeys 1–3 (general information, not understood, menu), languages (SPEC §3), understanding in context, and bad
 * input, through the real engine, turn runner and a SQLite file. Where the point is what the model understands, the
 * project's model answers; where it is what the conversation does, a scripted understander gives each message its
 * meaning.
 */
import { scripted } from '../support/scripted';
import type { HarnessOptions } from '../helpers';
import { options, scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();
let h: H;
const open = async (options: HarnessOptions = {}) => (h = await suite.harness(options));
const say = (chat: string, text: string, extra = {}) => suite.say(h, chat, text, extra);
const NOTICE = { en: 'no attorney–client relationship', es: 'no existe relación abogado–cliente' };

describe('general information', () => {
  beforeEach(() => open());

  it('English: the explainer, its numbered next steps (sections first), the not-legal-advice line, and the notice once', async () => {
    const first = await say('c1', 'what is a writ of mandamus');
    expect(first).toContain('28 U.S.C. §1361');
    expect(first).toContain('_General information, not legal advice._');
    expect(first).toContain(NOTICE.en);
    const next = options(first);
    expect(next.slice(-2)).toEqual(['Book a consultation', 'Talk to a person']);
    expect(next[0]).toBe('Menu (all topics)');
    // "at my door" names a section of the topic: that section is the answer.
    const second = await say('c1', 'what are my rights if ice comes to my door');
    expect(second).toContain('a warrant *signed by a judge*');
    expect(second).not.toContain(NOTICE.en);
  });

  it('Spanish, with or without accents, and the Spanish notice once', async () => {
    const first = await say('c2', 'q es el 287g');
    expect(first).toContain('La sección 287(g) de la ley de inmigración (8 U.S.C. §1357(g))');
    expect(first).toContain(NOTICE.es);
    const second = await say('c2', 'mi caso de uscis lleva 2 años sin respuesta q hago');
    expect(second).toContain('_Información general, no asesoría legal._');
    expect(second).not.toContain(NOTICE.es);
  });

  it('a question that names a section gets that section, with the other sections offered', async () => {
    const bond = await say('c3', 'can my husband get a bond hearing? he entered without papers');
    expect(bond).toContain('Yajure Hurtado');
    expect(options(bond)).not.toContain('Bond hearings after the 2025 changes');
    const court = await say('c3', 'me pueden arrestar en la corte de inmigracion?');
    expect(court).toMatch(/Ley de Protección de Nuestras Cortes|Protect Our Courts/);
  });

  it('a section is picked by its number', async () => {
    const habeas = await say('c4', 'what is habeas corpus');
    const n = options(habeas).indexOf('Bond hearings after the 2025 changes');
    expect(n).toBeGreaterThan(0);
    expect(await say('c4', String(n))).toContain('Yajure Hurtado');
  });

  it('asking about the same topic again gets a short reminder and the next steps, not the whole text again', async () => {
    const full = await say('c5', 'what is habeas corpus');
    const again = await say('c5', 'tell me about habeas corpus again');
    expect(again.length).toBeLessThan(full.length / 2 + 200);
    expect(again).not.toContain(full.split('\n\n')[1]);
    expect(again).toContain('Talk to a person');
  });

  it('the county a client names is looked up in the firm\'s 287(g) file, with its date and ICE\'s list', async () => {
    const nassau = await say('c6', 'is nassau county in 287g?');
    expect(nassau).toContain('Nassau');
    expect(nassau).toContain('ice.gov');
    const passaic = await say('c6', 'mi condado en NJ tiene 287g? vivo en el condado de Passaic');
    expect(passaic).toContain('Passaic');
  });
});

describe('understanding in context', () => {
  beforeEach(() => open());

  it('"can i sue them?" right after a USCIS delay is about suing USCIS (mandamus), not the police', async () => {
    await say('x1', 'my green card application has been stuck at uscis for 3 years');
    const reply = await say('x1', 'can i sue them?');
    expect(reply).toContain('mandamus');
    expect(reply).not.toContain('1983');
  });

  it('"y cuanto cuesta?" after a topic is the fees answer, in Spanish', async () => {
    await say('x2', 'que es un writ of mandamus');
    expect(await say('x2', 'y cuanto cuesta?')).toContain('*Costos*');
  });

  it('short chit-chat and acknowledgements never get a confident explainer', async () => {
    await say('x3', 'hola');
    for (const text of ['si', 'oye', 'ok', 'jaja', 'ya']) {
      const reply = await say('x3', text);
      expect(reply).not.toContain('Información general, no asesoría legal');
      expect(reply).not.toContain('fuera de lo que podemos atender');
    }
  });

  it.each([
    ['hey so my cousin told me smth', 'What would you like to know?'],
    ['tengo una pregunta', '¿Qué desea saber?'],
    ['oye mira, quisiera preguntar algo', '¿Qué desea saber?'],
  ])('a preamble ("%s") is asked for its question, not answered with a topic it does not name', async (text, ask) => {
    const reply = await say(`x4-${text.length}`, text);
    expect(reply).toContain(ask);
    expect(reply).not.toMatch(/General information, not legal advice|Información general, no asesoría legal/);
  });

  it('immigration to another country is out of scope, said plainly', async () => {
    const reply = await say('x5', 'how do I get a work visa for australia');
    expect(reply).toContain('immigration to the *United States*');
    const es = await say('x6', 'quiero emigrar a canada con mi familia');
    expect(es).toContain('inmigración a los *Estados Unidos*');
  });

  it('privacy asked in words starts the erasure confirmation; the next "yes" erases, it does not book', async () => {
    const ask = await say('x7', 'delete my data pls');
    expect(ask).toContain('*delete* your messages and personal data');
    await say('x7', 'yes');
    expect(await h.store.state('x7')).toBeUndefined();
    expect(await h.store.consultations()).toHaveLength(0);
    expect(await say('x8', 'borren mis datos por favor')).toContain('*borre* sus mensajes y datos personales');
  });
});

describe('not understood (scripted: the point is what the conversation does)', () => {
  const understander = () => scripted({
    'the thing with the papers': { intent: 'none', candidates: [{ label: 'know_your_rights', probability: 0.3 }, { label: 'uscis_delay', probability: 0.25 }] },
    'la cosa de los papeles': { intent: 'none', language: 'es', languageConfidence: 0.9, candidates: [{ label: 'know_your_rights', probability: 0.3 }, { label: 'uscis_delay', probability: 0.25 }] },
    'zzzz': 'none',
  });

  it.each([
    ['en', 'the thing with the papers', 'Did you mean', 'Your rights with ICE', 'You can *stay silent*'],
    ['es', 'la cosa de los papeles', '¿Quiso decir', 'Sus derechos ante ICE', 'Puede *guardar silencio*'],
  ] as const)('%s: "did you mean" lists the candidates; a number picks one', async (_lang, text, ask, title, body) => {
    await open({ understander: understander() });
    const reply = await say('n1', text);
    expect(reply).toContain(ask);
    expect(options(reply)[1]).toBe(title);
    expect(await say('n1', '1')).toContain(body);
  });

  it('a second miss in a row offers a person or the team, never the last filler as the question', async () => {
    await open({ understander: understander() });
    await say('n2', 'the thing with the papers');
    const second = await say('n2', 'zzzz');
    expect(options(second).slice(1)).toEqual(['Talk to a person', 'Send my question to the team (free general guidance)']);
    // "the thing with the papers" is a real question (more than filler): it is the one sent.
    expect(await say('n2', '2')).toContain('"the thing with the papers"');
  });
});

describe('menu', () => {
  beforeEach(() => open());

  it('shows the numbered menu, picks a topic by number, and 0 returns to it', async () => {
    const menu = await say('m1', 'menu');
    expect(options(menu)[1]).toBe('Emergency: ICE or detention');
    expect(options(menu)[4]).toBe('Habeas corpus');
    expect(await say('m1', '4')).toContain('*Habeas corpus*');
    expect(options(await say('m1', '0'))[1]).toBe('Emergency: ICE or detention');
    expect(await say('m1', '42')).toContain('number from 1 to 17');
  });

  it.each(['1', '$1', '#1'])('a first message "%s" shows the menu: nothing is picked before a list was shown', async (text) => {
    const reply = await say(`m2-${text}`, text);
    expect(options(reply)[1]).toBe('Emergency: ICE or detention');
    expect(await h.store.openHandoffs()).toHaveLength(0);
  });

  it('choosing the emergency from the menu asks first; "yes" then takes the urgent path', async () => {
    await say('m3', 'menu');
    const ask = await say('m3', '1');
    expect(ask).toContain('*right now*');
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(await say('m3', '1')).toContain('signed by a judge');
    expect((await h.store.openHandoffs())[0].kind).toBe('urgent');
  });
});

describe('language (SPEC §3)', () => {
  beforeEach(() => open());

  it('short accentless Spanish is detected; english/español switch; detection never undoes the switch', async () => {
    expect(await say('l1', 'hola buenas')).toContain('¡Hola!');
    expect(await say('l1', 'english')).toContain("I'll answer in English");
    expect(await say('l1', 'que es el habeas corpus y como funciona')).toContain('*Habeas corpus*');
    expect(await say('l1', 'español')).toContain('le responderé en español');
    expect(await say('l1', 'ok gracias')).toContain('¡Con mucho gusto!');
  });

  it('a client who changes language mid-conversation is followed', async () => {
    await say('l2', 'hi');
    expect(await say('l2', 'necesito saber cuanto cobran por la consulta')).toContain('*Costos*');
  });

  it('terms both languages use ("habeas corpus", "ICE detainer") keep the conversation\'s language', async () => {
    await say('l4', 'hi, i have a question');
    expect(await say('l4', 'habeas corpus')).toContain('*Habeas corpus*');
    expect((await h.store.state('l4'))?.lang).toBe('en');
    await say('l5', 'hola, tengo una pregunta');
    expect(await say('l5', 'ice detainer')).toContain('*Detainer de ICE');
    expect((await h.store.state('l5'))?.lang).toBe('es');
  });

  it.each(['Miguel Angel Torres', "Maria O'Brien Lopez", 'José Hernández'])('a name typed in the booking form never changes the language (%s)', async (name) => {
    await say('l3', 'english');
    await say('l3', 'i want to book a consultation');
    await say('l3', 'by phone');
    const slots = await say('l3', name);
    expect(slots).toContain('These are the next available times');
    expect((await h.store.state('l3'))?.lang).toBe('en');
  });
});

describe('bad input', () => {
  beforeEach(() => open());

  it('empty, emoji-only, huge, binary, other-language and voice messages get a polite answer', async () => {
    expect(await say('b1', '   ')).toContain('I did not receive any text');
    expect(await say('b2', '🙏🙏😢')).toContain('write your question in words');
    const huge = `my brother was detained and ${'we need help '.repeat(8000)}`;
    expect(await say('b3', huge)).toContain('read the beginning');
    expect((await h.store.transcript('b3'))[0].text).toHaveLength(huge.length);
    expect(await say('b4', '\u0000\u0001\u0002\u0003')).toContain('I did not receive any text');
    expect(await say('b5', '我的丈夫被移民局抓走了')).toContain('English or Spanish');
  });

  it('a voice note from a Spanish writer is answered in Spanish; from a new client in both languages', async () => {
    await say('b6', 'hola, una pregunta');
    expect(await say('b6', '', { type: 'voice' })).toContain('Por favor *escriba*');
    const both = await say('b7', '', { type: 'voice' });
    expect(both).toContain('Por favor *escriba*');
    expect(both).toContain('Please *type*');
  });

  it.each(['constructor', 'Constructor.', 'toString', '__proto__', 'hasOwnProperty'])('"%s" gets a reply, never silence or an apology', async (text) => {
    const reply = await say(`f-${text}`, text);
    expect(reply).not.toBe('');
    expect(reply).not.toContain('something went wrong');
  });
});

describe('reliability', () => {
  beforeEach(() => open());

  it('answers the same message id once, even after a restart on the same file', async () => {
    const message = { id: 'wamid.ABC', chat: 'r1', text: 'hola', type: 'text' as const, receivedAt: new Date() };
    expect(await h.runner.handle(message)).toBe('answered');
    expect(await h.runner.handle(message)).toBe('duplicate');
    const reopened = await suite.harness({ dbFile: h.dbFile });
    expect(await reopened.runner.handle(message)).toBe('duplicate');
    expect(reopened.sent).toHaveLength(0);
  });

  it('keeps one chat in order when messages arrive together', async () => {
    const texts = ['menu', '4', '0', '5'];
    await Promise.all(texts.map((text, i) => h.runner.handle({ id: `o${i}`, chat: 'r2', text, type: 'text', receivedAt: h.clock.now() })));
    expect((await h.store.transcript('r2')).filter((t) => t.direction === 'in').map((t) => t.text)).toEqual(texts);
    const sent = h.sent.filter((s) => s.chat === 'r2').map((s) => s.text);
    expect(sent[1]).toContain('*Habeas corpus*');
    expect(sent[3]).toContain('(8 U.S.C. §1357(g))');
  });

  it('never logs message text, names, full phone numbers or raw message ids', async () => {
    await say('15551234567@c.us', 'my husband jose was detained today', { id: 'wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUM3', name: 'Maria Perez' });
    const log = h.logLines.join('');
    expect(log).not.toContain('jose');
    expect(log).not.toContain('Maria');
    expect(log).not.toContain('15551234567');
    expect(log).not.toContain('HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUM3');
    expect(log).toContain('…4567');
  });
});
