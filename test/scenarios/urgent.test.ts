/**
 * Journey 7, urgent detention (SPEC §2.7), in both languages: the urgent path wins over every other state, the open
 * case listens (details read, short questions answered, never the same line twice, voice notes acknowledged), and
 * messages that only might be an emergency get one question. Real model: these are the messages people send.
 */
import type { HarnessOptions } from '../helpers';
import { scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();
let h: H;
const open = async (options: HarnessOptions = {}) => (h = await suite.harness(options));
const say = (chat: string, text: string, extra = {}) => suite.say(h, chat, text, extra);
const staffInbox = () => suite.staffInbox(h);
const MINUTE = 60_000;

const RIGHTS = { en: 'signed by a judge', es: 'firmada por un juez' };
const LOCATOR = 'https://locator.ice.gov/odls/';

async function urgentHandoffs(chat: string) {
  return (await h.store.handoffsOf(chat)).filter((x) => x.kind === 'urgent' && x.status === 'open');
}

describe('the urgent path', () => {
  beforeEach(() => open());

  it.each([
    ['en', 'ICE is at my door right now what do i do'],
    ['es', 'la migra esta en mi puerta ayuda'],
    ['en', 'they took my husband this morning, the ice agents'],
    ['es', 'agarraron a mi hijo los de inmigracion hoy'],
    ['en', 'immigration has my dad'],
    ['en', 'my wife is in ice detention'],
    ['es', 'la migra se llevo a mi esposo'],
  ] as const)('%s: "%s" gets the rights, then the locator and what to send, an urgent case and staff alerted', async (lang, text) => {
    const chat = `u-${text.length}`;
    const replies = await h.say(chat, text);
    expect(replies[0]).toContain(RIGHTS[lang]);
    expect(replies[0]).toContain(lang === 'en' ? '_General information, not legal advice._' : '_Información general, no asesoría legal._');
    expect(replies[1]).toContain(LOCATOR);
    expect(replies[1]).toContain('1-800-898-7180');
    expect(await urgentHandoffs(chat)).toHaveLength(1);
    expect((await staffInbox()).some((n) => n.startsWith('🚨 *URGENT'))).toBe(true);
  });

  it.each([
    ['en', 'ICE is at my door right now', '*If they take someone*'],
    ['es', 'la migra esta tocando mi puerta ahorita', '*Si se llevan a alguien*'],
  ] as const)('%s: agents at the door and nobody taken yet: the locator is introduced as for if they take someone', async (_lang, text, ifTaken) => {
    const replies = await h.say('door', text);
    expect(replies[1].startsWith(ifTaken)).toBe(true);
    const taken = await h.say('taken', 'they took my husband this morning, the ice agents');
    expect(taken[1]).not.toContain(ifTaken);
  });

  it('"what if" questions are not emergencies', async () => {
    const reply = await say('u2', 'what should i do if ice comes to my house someday');
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(reply).not.toContain('alerting our team');
  });

  it('wins after stop: "ICE is at my door right now" is answered and alerts staff, and opens the conversation again', async () => {
    await say('w1', 'hello');
    await say('w1', 'stop');
    expect(await say('w1', 'what is 287g')).toBe('');
    expect(await say('w1', 'ICE is at my door right now')).toContain(RIGHTS.en);
    expect(await urgentHandoffs('w1')).toHaveLength(1);
    expect((await h.store.state('w1'))?.stopped).toBe(false);
    // The case listens: details are acknowledged and go on the case.
    expect(await say('w1', 'his name is Carlos Mejia, born 3/2/1988 in Honduras')).toContain('Carlos Mejia');
    expect((await urgentHandoffs('w1'))[0].details).toMatchObject({ name: 'Carlos Mejia', country: 'Honduras' });
    // Once staff close it, asking for news reaches the team, not silence.
    const open = (await urgentHandoffs('w1'))[0];
    await h.store.withChat('w1', (tx) => tx.updateHandoff(open.id, { status: 'resolved', resolvedAt: h.clock.now().toISOString(), resolution: 'staff' }));
    await say('w1', 'hi, any news about my husband?');
    expect((await h.store.openHandoffs()).find((x) => x.chat === 'w1')?.summary).toContain('Asks for news');
  });

  it('wins during the flood limit, in the client\'s language', async () => {
    await say('w2', 'hola');
    for (let i = 0; i < 13; i++) await say('w2', `hola ${i}`);
    const reply = await say('w2', 'AYUDA la migra esta en mi puerta ahora mismo');
    expect(reply).toContain(RIGHTS.es);
    expect(await urgentHandoffs('w2')).toHaveLength(1);
  });

  it('wins inside a form', async () => {
    await say('w3', 'quiero agendar una consulta');
    await say('w3', 'por telefono');
    expect(await say('w3', 'ICE esta afuera de mi casa ahora tocando la puerta')).toContain(RIGHTS.es);
    expect((await h.store.state('w3'))?.form).toBeUndefined();
  });

  it('wins while staff have paused the bot: a new emergency in an answered case gets the rights again and alerts again', async () => {
    await say('w4', 'la migra se llevo a mi esposo hoy en la mañana');
    await h.runner.staffMessage('w4', 'Hola, soy Ana de la oficina. Ya estamos revisando.');
    expect(await say('w4', 'ok gracias')).toBe(''); // staff are talking: quiet
    const before = (await staffInbox()).length;
    h.clock.advance(20 * MINUTE);
    const reply = await say('w4', 'ICE esta afuera de mi casa ahora tocando la puerta');
    expect(reply).toContain(RIGHTS.es);
    expect(reply).toContain('Volvimos a avisar a nuestro equipo');
    const after = await staffInbox();
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1]).toContain('(reported again)');
    // Staff read the new report as written now; the detention's time stays the detention's.
    expect(after[after.length - 1]).toContain('"ICE esta afuera de mi casa ahora tocando la puerta"');
    const [handoff] = await urgentHandoffs('w4');
    expect(handoff.details?.when).toBe('hoy en la mañana');
  });

  it('agents at the door said again while staff talk with the client about them is the same emergency: no second alert over staff', async () => {
    await say('w5', 'ICE is outside my house right now banging on the door');
    await h.runner.staffMessage('w5', 'This is Ana from the office. Are they still outside? Do not open the door.');
    const before = (await staffInbox()).length;
    h.clock.advance(MINUTE);
    expect(await say('w5', 'yes they are still here')).toBe('');
    expect((await staffInbox()).length).toBe(before);
    // Forty minutes on, agents at the door are a new emergency again.
    h.clock.advance(40 * MINUTE);
    expect(await say('w5', 'they are back outside my door')).toContain(RIGHTS.en);
    expect((await staffInbox()).length).toBe(before + 1);
  });

  it('escalates a waiting person handoff to urgent and notifies staff of the emergency first', async () => {
    await say('w5', 'agent');
    await say('w5', 'ICE agents just arrested my husband outside');
    expect(await h.store.openHandoffs()).toMatchObject([{ kind: 'urgent', priority: 0 }]);
    const texts = await staffInbox();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Client asks for a person');
    expect(texts[1]).toMatch(/^🚨 \*URGENT: detention reported\* \(escalated\)/);
  });
});

describe('an urgent case that listens', () => {
  beforeEach(() => open());

  it('English: details in free text are read, said back and put on the case; only what is missing is asked', async () => {
    await say('d1', 'ICE took my husband this morning');
    const ack = await say('d1', 'his name is Carlos Mejia, dob 3/2/1988, from honduras');
    expect(ack).toContain('Added to the case: name Carlos Mejia, born 3/2/1988, from Honduras');
    expect(ack).toContain('*where it happened*');
    expect(ack).not.toContain('*full name*');
    const [handoff] = await urgentHandoffs('d1');
    expect(handoff.details).toEqual({ relation: 'husband', when: 'this morning', name: 'Carlos Mejia', birthDate: '3/2/1988', country: 'Honduras' });
    const more = await say('d1', 'it was at his job in Elizabeth, his A number is A 123-456-789');
    expect(more).toContain('A-number 123456789');
    const notes = await staffInbox();
    expect(notes.some((n) => n.includes('New details') && n.includes('Name: Carlos Mejia'))).toBe(true);
  });

  it('Spanish: details, short questions answered briefly, and never the same line twice in a row', async () => {
    await say('d2', 'se llevaron a mi esposo ahorita los de la migra');
    const ack = await say('d2', 'se llama José Pérez, nació el 3 de mayo de 1985, es de Guatemala');
    expect(ack).toContain('nombre José Pérez');
    expect(ack).toContain('nació 3 de mayo de 1985');
    expect(ack).toContain('de Guatemala');
    const deport = await say('d2', 'y ahora que pasa?? lo van a deportar?');
    expect(deport).toContain('depende de su historial');
    const cost = await say('d2', 'cuanto cuesta el abogado');
    expect(cost).toContain('no cuesta nada');
    const replies = [deport, cost];
    for (const text of ['ok', 'ok', 'ya', 'gracias', 'ok']) replies.push(await say('d2', text));
    for (let i = 1; i < replies.length; i++) expect(replies[i]).not.toBe(replies[i - 1]);
    // "ok" is said in both languages: the conversation stays in Spanish.
    for (const reply of replies.slice(2)) expect(reply).not.toMatch(/You are welcome|Received|Got it|Thank you/);
  });

  it('where it happened, the A-number said as a sentence, and a country before the place are details, not a new emergency', async () => {
    await say('d6', 'ICE se llevó a mi esposo esta mañana, ayuda');
    const before = (await staffInbox()).length;
    const first = await say('d6', 'Se llama José Luis Pérez, nació el 3 de mayo de 1985 en Guatemala, lo detuvieron en Elizabeth NJ');
    expect(first).toContain('de Guatemala');
    expect(first).toContain('Elizabeth NJ');
    expect(await say('d6', 'su numero A es 123456789')).toContain('número A 123456789');
    // "afuera del trabajo" says where he was taken: the case hears it, staff are not alerted again.
    const where = await say('d6', 'lo agarraron afuera del trabajo en Newark');
    expect(where).not.toContain(RIGHTS.es);
    const after = await staffInbox();
    expect(after.slice(before).some((n) => n.includes('reported again'))).toBe(false);
    const [handoff] = await urgentHandoffs('d6');
    expect(handoff.details).toMatchObject({ name: 'José Luis Pérez', country: 'Guatemala', place: 'trabajo en Newark', aNumber: '123456789' }); // the latest place told
  });

  it('messages held by the flood limit during the case go to the case: details read, one reply, nothing offered as a menu', async () => {
    await say('d5', 'se llevaron a mi esposo ahorita los de la migra');
    const replies: string[] = [];
    for (const text of ['ayuda', 'por favor', 'no se que hacer', 'ayudenme', 'alguien?', 'hola?', 'porfa', 'estoy desesperada', 'contesten', 'ayuda por favor', 'ayuda', 'porfavor', 'se llama José Pérez', 'es de Guatemala']) replies.push(await say('d5', text));
    // Every message so far is acknowledged as part of the case; a word the classifier is unsure of gets no explainer.
    expect(replies.slice(0, 12).every((r) => !r.includes('Sus derechos ante ICE'))).toBe(true);
    h.clock.advance(61_000);
    const before = h.sent.length;
    await h.runner.sweep();
    const caughtUp = h.sent.slice(before).filter((m) => m.chat === 'd5').map((m) => m.text).join('\n\n');
    expect(caughtUp).toContain('quedaron en el caso para nuestro equipo');
    expect(caughtUp).not.toMatch(/\*1\*/);
    const [handoff] = await urgentHandoffs('d5');
    expect(handoff.details).toMatchObject({ country: 'Guatemala' });
    expect((await h.store.transcript('d5')).filter((t) => t.direction === 'in')).toHaveLength(15);
  });

  it('in the case, a preamble names nobody, another country is out of scope, and who was detained stays who it was', async () => {
    await say('d6', 'ICE took my husband this morning');
    const preamble = await say('d6', 'hey so my cousin told me smth');
    expect(preamble).not.toContain('Added to the case');
    const abroad = await say('d6', 'how do I get a work visa for australia');
    expect(abroad).toMatch(/other countries|another country/i);
    expect(abroad).not.toContain('We also help with');
    await say('d6', 'my cousin says he was taken to elizabeth');
    const [handoff] = await urgentHandoffs('d6');
    expect(handoff.details?.relation).toBe('husband');
  });

  it('a voice note is acknowledged in the client\'s language and noted on the case for staff', async () => {
    await say('d3', 'se llevaron a mi hermano los de ICE');
    const reply = await say('d3', '', { type: 'voice' });
    expect(reply).toContain('Nota de voz recibida');
    const notes = await staffInbox();
    expect(notes.some((n) => n.includes('The client sent a voice note'))).toBe(true);
    expect(await say('d3', '', { type: 'image' })).toContain('Foto recibida');
  });

  it('once staff close the case, a returning client asking for news reaches the team, not the welcome', async () => {
    await say('d4', 'la migra se llevo a mi esposo');
    await say('d4', 'se llama Luis Gomez');
    const [handoff] = await urgentHandoffs('d4');
    await h.store.withChat('d4', (tx) => tx.updateHandoff(handoff.id, { status: 'resolved', resolvedAt: h.clock.now().toISOString(), resolution: 'staff' }));
    h.clock.advance(3 * 24 * 60 * MINUTE);
    const reply = await say('d4', 'hola buenas, alguna noticia de mi esposo?');
    expect(reply).toContain('Le pedí a nuestro equipo noticias de su caso');
    expect(reply).not.toContain('¡Hola!');
    const [news] = await h.store.openHandoffs();
    expect(news.summary).toContain('Asks for news');
    expect(news.summary).toContain('Luis Gomez');
    const greeting = await say('d5', 'hola');
    expect(greeting).toContain('¡Hola!');
  });

  it('a returning client who only greets is welcomed back with the news option first', async () => {
    await say('d6', 'ICE arrested my brother');
    const [handoff] = await urgentHandoffs('d6');
    await h.store.withChat('d6', (tx) => tx.updateHandoff(handoff.id, { status: 'resolved', resolvedAt: h.clock.now().toISOString(), resolution: 'staff' }));
    const reply = await say('d6', 'hi');
    expect(reply).toContain('Welcome back');
    expect(reply).toContain('*1* Ask the team for news of my case');
    expect(await say('d6', '1')).toContain('I asked our team for news');
  });
});

describe('messages that only might be an emergency', () => {
  beforeEach(() => open());

  it.each([
    ['en', 'pls help', 'right now'],
    ['en', 'help help help', 'right now'],
    ['es', 'mi esposo', 'ahora mismo'],
    ['es', 'ayudaaa', 'ahora mismo'],
  ] as const)('%s: "%s" gets one question with the emergency first, and no alert', async (_lang, text, now) => {
    const chat = `p-${text}`;
    const reply = await say(chat, text);
    expect(reply).toContain(now);
    expect(reply.split('\n').find((l) => l.startsWith('*1*'))).toMatch(/emergency now|emergencia ahora/);
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(await staffInbox()).toHaveLength(0);
  });

  it('answered with something else ("oye"), the question is gone: a later "si" raises no alert', async () => {
    await say('p3', 'help help help');
    await say('p3', 'oye');
    expect(await say('p3', 'si')).not.toContain(RIGHTS.en);
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(await staffInbox()).toHaveLength(0);
  });

  it('"1" or "si" then takes the urgent path', async () => {
    await say('p1', 'pls help');
    expect(await say('p1', '1')).toContain(RIGHTS.en);
    await say('p2', 'mi esposo');
    expect(await say('p2', 'si')).toContain(RIGHTS.es);
    expect((await h.store.openHandoffs()).map((x) => x.kind)).toEqual(['urgent', 'urgent']);
  });
});
