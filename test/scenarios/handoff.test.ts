/**
 * Journeys 6 and 8, by kind of handoff: waiting for a person (answers clear questions briefly, keeps out of small
 * talk), staff writing in the chat (quiet until resolved, `#bot` or the idle time), a consultation request (never
 * silences the bot), and staff notifications. Default time: Monday 2026-11-30 10:00 in New York (office open).
 */
import type { HarnessOptions } from '../helpers';
import { scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();
let h: H;
const open = async (options: HarnessOptions = {}) => (h = await suite.harness(options));
const say = (chat: string, text: string, extra = {}) => suite.say(h, chat, text, extra);
const staffInbox = () => suite.staffInbox(h);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function resolveOpen(chat: string) {
  const [handoff] = (await h.store.handoffsOf(chat)).filter((x) => x.status === 'open');
  await h.store.withChat(chat, (tx) => tx.updateHandoff(handoff.id, { status: 'resolved', resolvedAt: h.clock.now().toISOString(), resolution: 'staff' }));
}

describe('talk to a person', () => {
  beforeEach(() => open());

  it.each([
    ['es', 'quiero hablar con una persona', 'persona de nuestro equipo', 'Horario de oficina: de lunes a viernes, de 9:00 a 17:00'],
    ['en', 'can i talk to a real person', 'A member of our team will reply', 'Office hours: Monday to Friday, 9:00 to 17:00'],
  ] as const)('%s: hands off, tells staff once, then keeps out of small talk with one reminder per interval', async (lang, ask, person, hours) => {
    const number = lang === 'es' ? '15551230001' : '15551230002';
    const chat = `${number}@c.us`;
    await say(chat, lang === 'es' ? 'hola' : 'hi');
    const reply = await say(chat, ask);
    expect(reply).toContain(person);
    expect(reply).toContain(hours);
    expect(await h.store.openHandoffs()).toMatchObject([{ kind: 'human', lang, chat }]);
    const [note] = await staffInbox();
    expect(note).toContain('Client asks for a person');
    expect(note).toContain(lang === 'es' ? 'Spanish' : 'English');
    expect(note).toContain(`Chat: +${number}`);
    expect(await say(chat, lang === 'es' ? 'ok gracias' : 'ok thanks')).toBe('');
    expect(await say(chat, '???')).toBe('');
    h.clock.advance(61 * MINUTE);
    expect(await say(chat, lang === 'es' ? 'hola? alguien?' : 'hello? anyone?')).toContain(lang === 'es' ? 'Usted está en la fila' : 'You are in the queue');
    expect(await say(chat, lang === 'es' ? 'hola??' : 'hello??')).toBe('');
    expect((await h.store.transcript(chat)).filter((t) => t.author === 'client')).toHaveLength(6);
  });

  it('a clear question while waiting gets a short answer and "a person will also reply"', async () => {
    await say('w1', 'agent');
    const reply = await say('w1', 'what is a writ of mandamus');
    expect(reply).toContain('Mandamus asks a federal court');
    expect(reply).toContain('_General information, not legal advice._');
    expect(reply).toContain('A person from our team will also reply here.');
    expect(reply.length).toBeLessThan(500);
    expect(await say('w2', 'agente')).toContain('persona');
    expect(await say('w2', 'que es el habeas corpus')).toContain('Una persona de nuestro equipo también le responderá aquí.');
  });

  it('a voice note while waiting is kept for the team (said in the client\'s language); without a request it asks to type', async () => {
    await say('v1', 'quiero hablar con una persona');
    const voice = { type: 'voice', attachment: { mimeType: 'audio/ogg', data: Buffer.from('OggS voice') } };
    const kept = await say('v1', '', voice);
    expect(kept).toContain('Se guardó para nuestro equipo');
    expect(kept).toContain('*escriba*');
    const media = await h.store.transcript('v1');
    expect(media.filter((t) => t.direction === 'in').length).toBe(2);
    // No request open: nobody will listen to it, so the client is asked to type.
    await say('v2', 'hola');
    expect(await say('v2', '', voice)).toContain('Aquí no puedo escuchar notas de voz');
  });

  it('commands still work while waiting', async () => {
    await say('w3', 'persona');
    expect(await say('w3', 'menu')).toContain('*1* Emergencia');
  });

  it('asking again says they are already in the queue, and staff are not told twice', async () => {
    await say('c2', 'agent');
    expect(await say('c2', 'agent')).toContain('already in the queue');
    expect(await h.store.openHandoffs()).toHaveLength(1);
    expect(await staffInbox()).toHaveLength(1);
  });

  it('cancel while waiting leaves the queue and the bot answers again', async () => {
    await say('c4', 'human');
    expect(await say('c4', 'cancel')).toContain('left the queue');
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect((await h.store.handoffsOf('c4'))[0].resolution).toBe('client-withdrew');
    expect(await say('c4', 'what is 287g')).toContain('§1357(g)');
  });
});

describe('outside office hours', () => {
  it('says from when staff will answer, and notifies staff only when the office opens', async () => {
    await open({ at: new Date('2026-12-05T15:00:00Z') }); // Saturday 10:00
    const reply = await say('c3', 'can i talk to a real person');
    expect(reply).toContain('office is closed right now');
    expect(reply).toContain('Monday, Dec 7, 9:00 AM');
    expect(await staffInbox()).toHaveLength(0);
    h.clock.current = new Date('2026-12-07T14:00:00Z'); // Monday 9:00
    expect(await staffInbox()).toHaveLength(1);
  });
});

describe('staff take over and hand back', () => {
  beforeEach(() => open());

  it('staff writing in a chat pauses the bot without a notification; #bot resumes it', async () => {
    await say('t1', 'what is a writ of mandamus');
    expect(await h.runner.staffMessage('t1', 'Hi, this is Ana from the firm. How can I help?')).toBe('recorded');
    expect(await h.store.openHandoffs()).toMatchObject([{ chat: 't1', kind: 'human' }]);
    expect(await staffInbox()).toHaveLength(0);
    expect(await say('t1', 'my case is I-130 pending since 2023')).toBe('');
    h.clock.advance(3 * HOUR);
    expect(await say('t1', 'thanks ana')).toBe('');
    expect((await h.store.transcript('t1')).map((t) => t.author)).toContain('staff');
    expect(await h.runner.staffMessage('t1', '#bot')).toBe('resumed');
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(await say('t1', 'what is a writ of mandamus')).toContain('Mandamus asks a federal court');
  });

  it('resumes by itself after HANDOFF_IDLE_HOURS without staff activity', async () => {
    await open({ env: { HANDOFF_IDLE_HOURS: '4' } });
    await say('t3', 'talk to a person');
    await h.runner.staffMessage('t3', 'Give me a moment');
    h.clock.advance(3 * HOUR);
    expect(await say('t3', 'hello?')).toBe('');
    h.clock.advance(HOUR + MINUTE);
    expect(await say('t3', 'what is 287g')).toContain('§1357(g)');
  });

  it('a client typing #bot does not resume anything', async () => {
    await say('t5', 'agent');
    await h.runner.staffMessage('t5', 'Hello, I am here');
    expect(await say('t5', '#bot')).toBe('');
    expect(await h.store.openHandoffs()).toHaveLength(1);
  });

  it('after staff resolve a person handoff, the client is welcomed back, not greeted as a stranger', async () => {
    await say('t6', 'quiero hablar con alguien del equipo');
    await h.runner.staffMessage('t6', 'Hola, ya le ayudamos');
    await resolveOpen('t6');
    const reply = await say('t6', 'hola');
    expect(reply).toContain('Bienvenido de nuevo');
    expect(reply).toContain('*1* Pedir noticias de mi caso al equipo');
  });
});

describe('a consultation request never silences the bot', () => {
  beforeEach(() => open());

  async function book(chat: string) {
    for (const text of ['i want to book a consultation', 'by phone', 'John Smith', '1', 'my asylum case', 'yes']) await say(chat, text);
  }

  it('after booking, questions are answered and "I can\'t do Wednesday" moves the consultation', async () => {
    await book('k1');
    expect(await say('k1', 'what is 287g')).toContain('§1357(g)');
    const move = await say('k1', 'hey actually i cant do wednesday');
    expect(move).toContain('These are the next available times');
    expect((await h.store.openHandoffs())[0].kind).toBe('consultation');
  });

  it('after the client cancels, the bot keeps answering, as it said it would', async () => {
    await book('k2');
    await say('k2', 'cancel my appointment');
    expect(await say('k2', 'yes')).toContain('Write *menu* if you need anything else');
    expect(await h.store.openHandoffs()).toHaveLength(0);
    expect(await say('k2', 'what is 287g')).toContain('§1357(g)');
  });

  it('"sabes que mejor cancelo la cita" inside the time list leaves the form', async () => {
    await say('k3', 'quiero agendar una consulta');
    await say('k3', 'por telefono');
    await say('k3', 'Maria Lopez');
    expect(await say('k3', 'sabes que mejor cancelo la cita')).toContain('No se reservó nada');
    expect((await h.store.state('k3'))?.form).toBeUndefined();
  });

  it('"otro dia" at the confirmation goes back to the times instead of repeating the question', async () => {
    await say('k4', 'quiero agendar una consulta');
    await say('k4', 'por telefono');
    await say('k4', 'Maria Lopez');
    await say('k4', '1');
    await say('k4', 'mi caso de asilo');
    expect(await say('k4', 'otro dia')).toContain('Estos son los próximos horarios libres');
  });

  it('one notification per booking that reflects its latest state, and none for one already cancelled', async () => {
    await open({ at: new Date('2026-12-05T15:00:00Z') }); // Saturday: staff are told on Monday at 9:00
    await book('k5');
    await say('k5', 'cancel my appointment');
    await say('k5', 'yes');
    await book('k6');
    await say('k6', 'i need to change my appointment');
    await say('k6', '2');
    await say('k6', 'yes');
    h.clock.current = new Date('2026-12-07T14:00:00Z');
    const texts = await staffInbox();
    expect(texts.filter((t) => t.includes('k5'))).toHaveLength(0);
    const k6 = texts.filter((t) => t.includes('k6'));
    expect(k6).toHaveLength(1);
    expect(k6[0]).toContain('Consultation request');
  });
});

describe('notification delivery', () => {
  beforeEach(() => open());

  it('retries a failed notification and logs it without the message text', async () => {
    h.staff.failing = 1;
    await say('d1', 'i want to speak with the attorney about my brother jose');
    await h.notifications.flush();
    const [failed] = await h.store.notifications();
    expect(failed).toMatchObject({ attempts: 1, lastError: 'channel not connected' });
    expect(h.logLines.join('')).toContain('staff notification failed; will retry');
    expect(h.logLines.join('')).not.toContain('jose');
    h.clock.advance(31_000);
    expect(await staffInbox()).toHaveLength(1);
    expect((await h.store.notifications())[0].sentAt).toBeDefined();
  });

  it('gives up after the last retry and keeps it visible as failed', async () => {
    h.staff.failing = 100;
    await say('d2', 'agent');
    for (let i = 0; i < 10; i++) {
      await h.notifications.flush();
      h.clock.advance(5 * HOUR);
    }
    expect((await h.store.notifications())[0].givenUpAt).toBeDefined();
    expect(h.logLines.join('')).toContain('failed for good');
  });

  it('with no staff numbers configured, the handoff is recorded for the dashboard only', async () => {
    await open({ env: { STAFF_WHATSAPP_NUMBERS: '' } });
    await say('d3', 'agent');
    expect(await staffInbox()).toHaveLength(0);
    expect(await h.store.notifications()).toMatchObject([{ recipient: undefined, event: 'handoff' }]);
  });

  it('the urgent queue comes first', async () => {
    await say('q1', 'send my question to the team please');
    await say('q2', 'agent');
    await say('q3', 'ICE is at my door');
    expect((await h.store.openHandoffs()).map((x) => x.kind)[0]).toBe('urgent');
  });
});
