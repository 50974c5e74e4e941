/**
 * Booking a flat-fee consultation (SPEC §2 journey 5), both languages, through the real engine, turn runner and a
 * SQLite file, with a fake clock. Default time: Monday 2026-11-30 10:00 in New York, office Mon–Fri 9–17, 40-minute
 * consultations, 24 hours' lead.
 */
import { SlotTakenError, type ChatTx, type Store } from '../../src/store';
import type { HarnessOptions } from '../helpers';
import { options, scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();
let h: H;
const open = async (options: HarnessOptions = {}): Promise<H> => (h = await suite.harness(options));
const say = (chat: string, text: string, on: H = h) => suite.say(on, chat, text);
const notifications = (on: H = h) => suite.staffInbox(on);

/** Walks a client to the confirmation step; returns the time they chose as shown. */
async function toConfirmation(chat: string, lang: 'en' | 'es', pick = 1, on: H = h): Promise<string> {
  await say(chat, lang === 'en' ? 'i want to book a consultation' : 'quiero agendar una consulta', on);
  await say(chat, lang === 'en' ? 'by phone' : 'por telefono', on);
  const slots = await say(chat, lang === 'en' ? 'John Smith' : 'maria lopez', on);
  const time = options(slots)[pick];
  await say(chat, String(pick), on);
  const confirm = await say(chat, lang === 'en' ? 'my asylum case' : 'mi caso de asilo', on);
  expect(confirm).toContain(time);
  return time;
}

describe('a full booking', () => {
  it('English: phone → name → numbered slots → topic → confirm creates a requested consultation and a handoff', async () => {
    await open({ env: { CONSULTATION_FEE: '$150' } });
    const intro = await say('b1', 'can i book an appointment with the lawyer');
    expect(intro).toContain('Book a consultation');
    expect(intro).toMatch(/\*1\* By phone/);
    expect(await say('b1', 'over the phone please')).toMatch(/full name/);
    const slots = await say('b1', 'my name is john smith');
    expect(slots).toMatch(/40 minutes, New York time/);
    const offered = options(slots);
    expect(offered[1]).toBe('Tue, Dec 1, 10:20 AM'); // 24 h after Monday 10:00, on the 40-minute grid from 9:00
    expect(offered.filter(Boolean)).toHaveLength(5); // four times and "another time"
    expect(offered[5]).toMatch(/Another time/);
    expect(await say('b1', '2')).toMatch(/what would you like to talk about/);
    const confirm = await say('b1', 'my work permit renewal is late');
    expect(confirm).toContain(offered[2]);
    expect(confirm).toContain('Name: John Smith');
    expect(confirm).toContain('Topic: my work permit renewal is late');
    const done = await say('b1', 'yes');
    expect(done).toContain('Request sent');
    expect(done).toContain('flat fee of *$150*');
    const [consultation] = (await h.store.consultations());
    expect(consultation).toMatchObject({ status: 'requested', mode: 'phone', name: 'John Smith', topic: 'my work permit renewal is late', lang: 'en' });
    expect(consultation.slot).toEqual({ start: '2026-12-01T16:00:00.000Z', end: '2026-12-01T16:40:00.000Z' }); // 11:00–11:40 EST
    const [handoff] = (await h.store.openHandoffs());
    expect(handoff).toMatchObject({ kind: 'consultation', chat: 'b1', consultationId: consultation.id, name: 'John Smith' });
    const [note] = await notifications();
    expect(note).toContain('Consultation request');
    expect(note).toContain('Phone consultation');
    expect(note).toContain('Tue, Dec 1, 11:00 AM');
    expect(note).toContain('John'); // first name only
    expect(note).not.toContain('Smith');
  });

  it('Spanish with natural answers at each step', async () => {
    await open();
    expect(await say('b2', 'kiero una cita con la abogada')).toMatch(/Por teléfono/);
    expect(await say('b2', 'mejor en persona')).toMatch(/nombre completo/);
    const slots = await say('b2', 'me llamo maria de los angeles lopez');
    expect(slots).toMatch(/hora de Nueva York/);
    expect(options(slots)[3]).toBe('mié 2 dic, 9:00 a.m.');
    expect(await say('b2', 'el miercoles a las 9')).toMatch(/sobre qué quiere hablar/);
    const confirm = await say('b2', 'mi green card lleva un año atrasada');
    expect(confirm).toContain('Consulta en la oficina');
    expect(confirm).toContain('Maria de los Angeles Lopez');
    expect(confirm).toContain('mié 2 dic, 9:00 a.m.');
    const done = await say('b2', 'si');
    expect(done).toContain('Solicitud enviada');
    expect(done).toContain('y le dirá el costo'); // no CONSULTATION_FEE configured: nothing invented
    expect((await h.store.consultations())[0]).toMatchObject({ mode: 'office', lang: 'es', slot: { start: '2026-12-02T14:00:00.000Z', end: '2026-12-02T14:40:00.000Z' } });
  });

  it('"the tuesday one" when two Tuesdays are offered asks which, then takes a number', async () => {
    await open();
    await say('b3', 'book a consultation');
    await say('b3', 'phone');
    await say('b3', 'Ana Ruiz');
    const which = await say('b3', 'the tuesday one');
    expect(which).toMatch(/More than one time matches/);
    expect(options(which).filter(Boolean).every((o) => o.startsWith('Tue') || /Another time/.test(o))).toBe(true);
    expect(await say('b3', '2')).toMatch(/talk about/);
  });

  it('"mañana a las 10" picks that time when it is free (60-minute consultations)', async () => {
    await open({ env: { CONSULTATION_MINUTES: '60' } });
    await say('b6', 'necesito una consulta');
    await say('b6', 'por llamada');
    await say('b6', 'Lucia Fernandez');
    expect(await say('b6', 'mañana a las 10')).toMatch(/sobre qué quiere hablar/);
    const confirm = await say('b6', 'la residencia de mi esposo');
    expect(confirm).toContain('mar 1 dic, 10:00 a.m.');
    expect(confirm).toContain('hasta 60 minutos');
  });

  it('"other" records a free-text preference instead of a time', async () => {
    await open();
    await say('b4', 'quiero una consulta');
    await say('b4', 'telefono');
    await say('b4', 'Pedro Gomez');
    expect(await say('b4', 'ninguno de esos')).toMatch(/Qué días y horas/);
    expect(await say('b4', 'los sabados en la mañana')).toMatch(/sobre qué/);
    expect(await say('b4', 'la visa de mi hija')).toContain('Su preferencia: los sabados en la mañana');
    await say('b4', 'dale');
    expect((await h.store.consultations())[0]).toMatchObject({ preference: 'los sabados en la mañana', slot: undefined, status: 'requested' });
  });

  it('a time that is not free is answered with the nearest free ones', async () => {
    await open();
    await say('b5', 'appointment please');
    await say('b5', 'office');
    await say('b5', 'Lee Wong');
    const reply = await say('b5', 'saturday at 10');
    expect(reply).toMatch(/not available/);
    expect(options(reply).filter(Boolean).length).toBeGreaterThan(1);
  });
});

describe('answers that are not answers', () => {
  it('re-asks politely at every step and keeps what was already given', async () => {
    await open();
    await say('n1', 'i need a consultation');
    expect(await say('n1', 'banana')).toMatch(/How would you like to meet\?[\s\S]*Write \*cancel\* to stop booking/);
    await say('n1', 'phone');
    expect(await say('n1', '12345')).toMatch(/first and last name/);
    expect(await say('n1', 'Carmen')).toMatch(/first and last name/); // one word: we need the full name
    await say('n1', 'Carmen Diaz');
    expect(await say('n1', 'purple')).toMatch(/Please reply with a number from 1 to 5/);
    await say('n1', '1');
    expect(await say('n1', '??')).toMatch(/what the consultation is about/);
    await say('n1', 'my tps');
    expect(await say('n1', 'maybe')).toMatch(/reply \*yes\* or \*no\*/i);
    expect(await say('n1', 'yes')).toContain('Request sent');
    expect((await h.store.consultations())[0]).toMatchObject({ name: 'Carmen Diaz', topic: 'my tps' });
  });

  it('answers a fee question in the middle of the form and asks the same question again', async () => {
    await open({ env: { CONSULTATION_FEE: '$200' } });
    await say('n2', 'quiero una cita');
    const reply = await say('n2', 'cuanto cuesta la consulta?');
    expect(reply).toMatch(/\$200|costo/);
    expect(reply).toMatch(/Cómo prefiere la consulta/);
  });

  it('"no" at the confirmation offers other times and books nothing', async () => {
    await open();
    await toConfirmation('n3', 'en');
    expect(await say('n3', 'no')).toMatch(/nothing was booked[\s\S]*next available times/);
    expect((await h.store.consultations())).toHaveLength(0);
  });
});

describe('days the client cannot do', () => {
  beforeEach(() => open());

  it.each([
    ['en', 'hey actually i cant do wednesday', /^Wed/],
    ['es', 'sabes que el miércoles no puedo', /^mié/],
  ] as const)('%s: "%s" at the confirmation offers other times, none on that day and not the one turned down', async (lang, text, day) => {
    // Monday 10:00 with 24 hours' lead: the first times offered are on Tuesday and Wednesday.
    const time = await toConfirmation(`d-${lang}`, lang, 3);
    expect(time).toMatch(day);
    const reply = await say(`d-${lang}`, text);
    const offered = options(reply).filter(Boolean);
    expect(offered.length).toBeGreaterThan(2);
    for (const option of offered.slice(0, -1)) expect(option).not.toMatch(day);
    expect(offered).not.toContain(time);
    expect(await h.store.consultations()).toHaveLength(0);
  });

  it('"no, thursday morning instead" at the confirmation goes straight to Thursday morning', async () => {
    await toConfirmation('d-th', 'en', 1);
    const reply = await say('d-th', 'no, thursday morning instead');
    expect(reply).toContain('nothing was booked');
    const offered = options(reply).filter(Boolean);
    for (const option of offered.slice(0, -1)) expect(option).toMatch(/^Thu, Dec 3, (9|10|11):\d\d AM$/);
  });

  it('"not friday" while the times are shown lists times again without Friday', async () => {
    await say('d-fr', 'i want to book a consultation');
    await say('d-fr', 'by phone');
    await say('d-fr', 'John Smith');
    const reply = await say('d-fr', 'i cant do friday or tuesday');
    const offered = options(reply).filter(Boolean);
    expect(offered.length).toBeGreaterThan(2);
    for (const option of offered.slice(0, -1)) expect(option).not.toMatch(/^(Fri|Tue)/);
  });
});

describe('leaving the form', () => {
  it.each([['en', 'cancel', /stopped the booking/], ['es', 'cancelar', /dejé la reserva/]] as const)('%s: %s mid-form leaves without booking', async (lang, word, said) => {
    await open();
    await say('l1', lang === 'en' ? 'book a consultation' : 'agendar consulta');
    await say('l1', lang === 'en' ? 'phone' : 'telefono');
    expect(await say('l1', word)).toMatch(said);
    expect((await h.store.consultations())).toHaveLength(0);
    expect((await h.store.openHandoffs())).toHaveLength(0);
    expect(await say('l1', lang === 'en' ? 'what is 287g' : 'que es 287g')).toContain('287(g)'); // the bot answers normally again
  });

  it('an emergency in the middle of the form takes the urgent path', async () => {
    await open();
    await say('l2', 'book a consultation');
    const reply = await say('l2', 'ICE is at my door right now');
    expect(reply).toMatch(/signed by a judge/);
    expect((await h.store.openHandoffs())[0].kind).toBe('urgent');
  });
});

describe('two clients, one time', () => {
  it('both at the confirmation with the same time: the first gets it, the second is offered others', async () => {
    await open();
    const time = await toConfirmation('r1', 'en');
    expect(await toConfirmation('r2', 'es')).toBe('mar 1 dic, 10:20 a.m.');
    expect(time).toBe('Tue, Dec 1, 10:20 AM');
    expect(await say('r1', 'yes')).toContain('Request sent');
    const second = await say('r2', 'si');
    expect(second).toMatch(/otro cliente acaba de tomar ese horario/);
    expect(options(second)).not.toContain('mar 1 dic, 10:20 a.m.');
    expect(await say('r2', '1')).toMatch(/Consulta por teléfono/); // the topic is kept: straight to confirmation
    expect(await say('r2', 'si')).toContain('Solicitud enviada');
    const active = (await h.store.consultations()).filter((c) => c.status === 'requested');
    expect(active).toHaveLength(2);
    expect(new Set(active.map((c) => c.slot?.start)).size).toBe(2);
  });

  it('a time taken by another server between read and write is refused by the database, and the turn is decided again', async () => {
    // Another server commits the same time while this turn is being decided: the store refuses the write
    // (SlotTakenError, what the unique index or the PostgreSQL exclusion constraint raise) and rolls the turn back.
    let armed = false;
    let raced = false;
    await open();
    const store = h.store;
    const original = store.withChat.bind(store);
    (store as { withChat: Store['withChat'] }).withChat = (chat, fn) =>
      original(chat, (tx) => {
        if (!armed || chat !== 'p2') return fn(tx);
        const wrapped: ChatTx = Object.assign(Object.create(tx) as ChatTx, {
          insertConsultation: async (c: Parameters<ChatTx['insertConsultation']>[0]) => {
            armed = false;
            raced = true;
            // The other server's booking of the same time, committed first.
            void original('p1', (other) => other.insertConsultation({ ...c, name: 'John Smith', topic: 'x' }));
            throw new SlotTakenError(c.slot!);
          },
        });
        return fn(wrapped);
      });
    await toConfirmation('p2', 'en');
    armed = true;
    expect(await say('p2', 'yes')).toMatch(/another client just took that time/);
    expect(raced).toBe(true);
    expect((await h.store.consultations()).filter((c) => c.status === 'requested').map((c) => c.chat)).toEqual(['p1']);
    expect(h.logLines.join('')).toContain('deciding again');
  });
});

describe('the calendar', () => {
  it('offers the last slot of the day, ending exactly at closing', async () => {
    await open({ at: new Date('2026-11-30T21:10:00Z') }); // Monday 16:10 New York
    await say('c1', 'book a consultation');
    await say('c1', 'phone');
    const slots = options(await say('c1', 'Rosa Perez'));
    expect(slots[1]).toBe('Tue, Dec 1, 4:20 PM'); // 16:20–17:00
    expect(slots[2]).toBe('Wed, Dec 2, 9:00 AM');
  });

  it('skips the weekend', async () => {
    await open({ at: new Date('2026-12-04T20:00:00Z') }); // Friday 15:00
    await say('c2', 'agendar una cita');
    await say('c2', 'oficina');
    const slots = options(await say('c2', 'Rosa Perez'));
    expect(slots[1]).toBe('lun 7 dic, 9:00 a.m.'); // 24 h later is Saturday 15:00: the office is closed until Monday
  });

  it('keeps local office hours across the daylight-saving change', async () => {
    await open({ at: new Date('2026-10-30T19:00:00Z') }); // Friday 15:00 EDT; clocks go back on Sunday 1 November
    await say('c3', 'book a consultation');
    await say('c3', 'phone');
    const slots = options(await say('c3', 'Rosa Perez'));
    expect(slots[1]).toBe('Mon, Nov 2, 9:00 AM');
    await say('c3', '1');
    await say('c3', 'citizenship');
    await say('c3', 'yes');
    expect((await h.store.consultations())[0].slot?.start).toBe('2026-11-02T14:00:00.000Z'); // 9:00 EST = 14:00 UTC (9:00 EDT was 13:00 UTC)
  });

  it('respects a shorter lead time and a Saturday in OFFICE_HOURS', async () => {
    await open({ at: new Date('2026-12-04T20:00:00Z'), env: { BOOKING_LEAD_HOURS: '2', OFFICE_HOURS: 'Mon-Fri 09:00-17:00; Sat 10:00-14:00' } });
    await say('c4', 'book a consultation');
    await say('c4', 'phone');
    const slots = options(await say('c4', 'Rosa Perez'));
    expect(slots[1]).toBe('Sat, Dec 5, 10:00 AM'); // Friday 17:00 is too late today (16:20 is under 2 h away)
  });
});

describe('managing an upcoming consultation', () => {
  it('cancels it by message after a yes, and tells staff', async () => {
    await open();
    const time = await toConfirmation('m1', 'en');
    await say('m1', 'yes');
    const ask = await say('m1', 'i need to cancel my appointment');
    expect(ask).toContain(time);
    expect(ask).toMatch(/cancel your consultation/);
    expect(await say('m1', 'yes')).toMatch(/was cancelled/);
    expect((await h.store.consultations())[0].status).toBe('cancelled');
    const texts = await notifications();
    expect(texts.some((t) => t.includes('Consultation cancelled by the client') && t.includes(time))).toBe(true);
  });

  it('keeps it on "no"', async () => {
    await open();
    await toConfirmation('m2', 'es');
    await say('m2', 'si');
    expect(await say('m2', 'cancelar mi cita')).toMatch(/Quiere cancelar su consulta/);
    expect(await say('m2', 'no')).toMatch(/queda como está/);
    expect((await h.store.consultations())[0].status).toBe('requested');
  });

  it.each([
    ['en', 'hey actually i cant do tuesday', /^Tue/],
    ['es', 'oye mejor no puedo el martes', /^mar/],
  ] as const)('%s: "%s" after booking offers to move it, with no such day among the times', async (lang, text, day) => {
    await open();
    await toConfirmation(`m4-${lang}`, lang, 1);
    await say(`m4-${lang}`, lang === 'en' ? 'yes' : 'si');
    const reply = await say(`m4-${lang}`, text);
    expect(reply).toMatch(lang === 'en' ? /next available times/ : /próximos horarios libres/);
    const offered = options(reply).filter(Boolean);
    expect(offered.length).toBeGreaterThan(2);
    for (const option of offered.slice(0, -1)) expect(option).not.toMatch(day);
  });

  it('moves it to another time, back to "requested", and tells staff', async () => {
    await open();
    await toConfirmation('m3', 'es');
    await say('m3', 'si');
    const [requested] = await h.store.consultations();
    await h.store.withChat('m3', (tx) => tx.updateConsultation(requested.id, 'requested', { status: 'confirmed', at: h.clock.now().toISOString() }));
    const slots = await say('m3', 'puedo cambiar mi cita para otro dia?');
    const offered = options(slots);
    expect(offered).not.toContain('mar 1 dic, 10:20 a.m.'); // its own current time is not offered again
    expect(await say('m3', '3')).toContain(`¿Cambiamos su consulta al *${offered[3]}*?`);
    expect(await say('m3', 'si')).toContain('Cambio solicitado');
    const [moved] = (await h.store.consultations());
    expect(moved.status).toBe('requested');
    expect(moved.slot?.start).not.toBe('2026-12-01T15:20:00.000Z');
    expect((await notifications()).some((t) => t.includes('Consultation moved by the client'))).toBe(true);
  });

  it('asking to book again shows the upcoming consultation with keep / change / cancel', async () => {
    await open();
    const time = await toConfirmation('m4', 'en');
    await say('m4', 'yes');
    const reply = await say('m4', 'i want to book a consultation');
    expect(reply).toContain(time);
    expect(options(reply)).toEqual(['Menu (all topics)', 'Keep it', 'Change the time', 'Cancel it']);
    expect(await say('m4', '1')).toMatch(/stays as it is/);
  });

  it('says so when there is nothing to cancel', async () => {
    await open();
    expect(await say('m5', 'cancel my appointment please')).toMatch(/do not see an upcoming consultation/);
  });
});
