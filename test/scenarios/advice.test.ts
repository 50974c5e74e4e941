/**
 * Journey 4, complimentary general advice, end to end in both languages: asked for in words or chosen after two misses,
 * the real question captured (never a filler), sent to staff, the client told when to expect an answer — and the bot
 * keeps answering meanwhile.
 */
import { scripted } from '../support/scripted';
import type { HarnessOptions } from '../helpers';
import { scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();
let h: H;
const open = async (options: HarnessOptions = {}) => (h = await suite.harness(options));
const say = (chat: string, text: string, extra = {}) => suite.say(h, chat, text, extra);
const staffInbox = () => suite.staffInbox(h);

describe('asked for in words', () => {
  it.each([
    ['en', 'i just want free advice not a paid consult', 'Please write your question', 'my work permit renewal has been pending for 8 months', 'I sent your question to our team'],
    ['en', 'can I send my question to the lawyer for free', 'Please write your question', 'my husband was detained in 2024 and got deported, can he come back', 'I sent your question to our team'],
    ['es', 'quiero mandarle mi pregunta al abogado', 'Escriba su pregunta', 'mi permiso de trabajo lleva 8 meses en tramite, que puedo hacer', 'Envié su pregunta a nuestro equipo'],
    ['es', 'me pueden dar orientacion gratis?', 'Escriba su pregunta', 'mi esposo tiene una orden de deportacion vieja, puede pedir la residencia', 'Envié su pregunta a nuestro equipo'],
  ] as const)('%s: "%s" asks for the question, sends the real one to staff, and says when to expect an answer', async (lang, ask, prompt, question, sent) => {
    await open({ env: { FIRM_EMAIL: 'consultas@example.org' } });
    const chat = `a-${ask.length}`;
    const first = await say(chat, ask);
    expect(first).toContain(prompt);
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(await h.store.consultations()).toHaveLength(0); // never the paid booking form
    // A filler is not a question: asked again, nothing sent.
    expect(await say(chat, 'idk')).toContain(lang === 'en' ? 'in a sentence or two' : 'en una o dos oraciones');
    const done = await say(chat, question);
    expect(done).toContain(sent);
    expect(done).toContain(question);
    expect(done).toContain(lang === 'en' ? 'Office hours' : 'Horario de oficina');
    expect(done).toContain('consultas@example.org');
    const [handoff] = await h.store.openHandoffs();
    expect(handoff).toMatchObject({ kind: 'advice', lang, summary: question });
    const [note] = await staffInbox();
    expect(note).toContain('Free general-advice question');
    expect(note).toContain(question);
  });

  it('a request that carries its question sends it at once', async () => {
    await open();
    const reply = await say('a5', 'free advice please: my work permit has been pending since march, what can i do?');
    expect(reply).toContain('I sent your question to our team');
    expect((await h.store.openHandoffs())[0].summary).toContain('my work permit has been pending since march');
  });

  it('meanwhile the bot keeps answering, and a question it cannot place is added to the one for the team', async () => {
    await open();
    await say('a6', 'i just want free advice');
    await say('a6', 'my brother has TPS and wants to travel to Honduras, is that risky for him');
    expect(await say('a6', 'what is 287g')).toContain('§1357(g)');
    expect(await say('a6', 'also he lost his passport last year and the consulate is closed')).toContain('I added this to your question for the team');
    const notes = await staffInbox();
    expect(notes.some((n) => n.includes('consulate is closed'))).toBe(false); // a detail, not a new alert for non-urgent cases
    expect((await h.store.transcript('a6')).some((t) => t.text.includes('consulate is closed'))).toBe(true);
  });
});

describe('offered after two misses (scripted: the point is which question is sent)', () => {
  const understander = () => scripted({ 'hola buenas noches': { intent: 'greeting', language: 'es', languageConfidence: 0.99 } });

  it('the real question is sent, never the filler that came last', async () => {
    await open({ at: new Date('2026-12-01T01:00:00Z'), understander: understander() }); // Monday 20:00: closed
    await say('m1', 'hola buenas noches');
    await say('m1', 'mi hermano entró con visa y se casó con una ciudadana, puede arreglar aqui');
    const offer = await say('m1', 'no se');
    expect(offer).toContain('*2* Enviar mi pregunta al equipo (orientación general gratuita)');
    const reply = await say('m1', '2');
    expect(reply).toContain('"mi hermano entró con visa y se casó con una ciudadana, puede arreglar aqui"');
    expect(reply).toContain('Si esa no es su pregunta, escríbala aquí');
    expect(reply).toMatch(/a partir del \*martes, 1 de dic, 0?9:00\*/);
    expect((await h.store.openHandoffs())[0]).toMatchObject({ kind: 'advice', lang: 'es', summary: 'mi hermano entró con visa y se casó con una ciudadana, puede arreglar aqui' });
  });

  it('with only fillers missed, it asks for the question instead of sending "idk"', async () => {
    await open({ understander: understander() });
    await say('m2', 'idk');
    await say('m2', 'no idea');
    expect(await say('m2', '2')).toContain('Please write your question');
    expect(await h.store.openHandoffs()).toHaveLength(0);
  });
});
