/**
 * The staff desk's JSON API (issue 12) in-process on a real HTTP server (port 0) over a whole core on a SQLite file:
 * clients and history, notes, writing within WhatsApp's window, what clients sent, consultations given a real time,
 * the calendar feed and CSV, answers marked wrong, named accounts — every new route refused without credentials and
 * with bad input (nothing changes then), and the security points: Bearer limits, per-account limits behind a proxy,
 * sign-out ending the session on the server, no caching, impossible dates.
 */
import ICAL from 'ical.js';
import request from 'supertest';
import { parse } from 'yaml';
import type { RunningHttp } from '../../src/http/server';
import { harness, type Harness } from '../helpers';
import { staffApp, type ChannelState } from './app';

const PASSWORD = 'correct horse battery';
const ADDRESS = '350 Broadway, Suite 1200, New York, NY 10013';
const FIRM_PHONE = '+1 212-555-0100'; // 555-01xx: reserved for fiction
const URGENT = '15551110002@c.us';
const OTHER_TIME = '15551110003@c.us';
const SPANISH = '15551110006@c.us';
const VOICE = Buffer.from('OggS\u0000\u0002 a voice note from the client', 'latin1');
const HOUR = 3_600_000;

let h: Harness;
let http: RunningHttp;
let base: string;
let status: ChannelState;
const bearer = { Authorization: `Bearer ${PASSWORD}` };

beforeEach(async () => {
  h = await harness({ env: { ADMIN_PASSWORD: PASSWORD, FIRM_ADDRESS: ADDRESS, FIRM_PHONE: FIRM_PHONE, FIRM_NAME: 'Rivera & Cho', TRUST_PROXY: '1' } });
  await h.say(URGENT, 'ICE is at my door, they took my husband');
  await h.say(URGENT, 'his name is Carlos Mejia, born 1988-03-02 in Honduras');
  await h.say(URGENT, '', { type: 'voice', attachment: { mimeType: 'audio/ogg', data: VOICE } });
  for (const t of ['i want to book a consultation', 'at the office', 'Rosa Ortiz', 'another time', 'saturday morning or after 6pm', 'my work permit', 'yes']) await h.say(OTHER_TIME, t);
  await h.say(SPANISH, 'hola, necesito ayuda con mi permiso de trabajo');
  await h.say(SPANISH, 'que es el 287g');
  status = { current: { name: 'whatsapp-web', state: 'connected' }, qr: undefined };
  const app = await staffApp(h, status);
  http = app.http;
  base = app.url;
});
afterEach(async () => {
  await http.stop();
  await h.close();
});

const consultationOf = async (chat: string) => (await h.store.consultations()).find((c) => c.chat === chat)!;
const urgentCase = async () => (await h.store.openHandoffs()).find((x) => x.chat === URGENT)!;
type Method = 'get' | 'post';
const call = (method: Method, path: string) => (method === 'get' ? request(base).get(path) : request(base).post(path));

describe('credentials', () => {
  const ROUTES: [Method, string][] = [
    ['get', '/api/clients'], ['get', `/api/clients/${URGENT}`], ['post', `/api/clients/${URGENT}/notes`], ['post', `/api/clients/${URGENT}/messages`],
    ['post', '/api/handoffs/1/notes'], ['get', '/api/consultations/2/slots'], ['post', '/api/consultations/2/schedule'], ['post', '/api/consultations/2/propose'],
    ['post', '/api/consultations/2/no-show'], ['get', '/api/consultations.csv'], ['get', '/api/calendar.ics'], ['get', '/api/calendar'], ['post', '/api/calendar/rotate'],
    ['get', '/api/media/1'], ['post', '/api/answers/1/wrong'], ['post', '/api/answers/1/unmark'], ['get', '/api/staff'], ['post', '/api/staff'],
    ['post', '/api/staff/admin/remove'], ['get', '/api/audit'], ['get', '/api/me'], ['post', '/api/logout'],
  ];

  it.each(ROUTES)('%s %s: 401 without credentials and with a wrong bearer; never cached', async (method, path) => {
    const anonymous = await call(method, path).send({ text: 'x', start: '2026-12-03T15:00:00Z' });
    expect([anonymous.status, anonymous.headers['cache-control']]).toEqual([401, 'no-store']);
    const wrong = await call(method, path).set('Authorization', 'Bearer admin:nope').send({ text: 'x' });
    expect(wrong.status).toBe(401);
  });

  it('refused requests change nothing', async () => {
    const before = { notes: await h.store.notesOf(URGENT), sent: h.sent.length, audit: await h.store.audit({ limit: 50 }), c: await consultationOf(OTHER_TIME) };
    await request(base).post(`/api/clients/${URGENT}/notes`).send({ text: 'a note' });
    await request(base).post(`/api/clients/${URGENT}/messages`).set('Authorization', 'Bearer wrong').send({ text: 'hello' });
    await request(base).post(`/api/consultations/${before.c.id}/schedule`).send({ start: '2026-12-03T15:00:00Z' });
    await request(base).post('/api/calendar/rotate');
    await request(base).post('/api/staff').send({ name: 'Mallory', password: 'a long password' });
    expect(await h.store.notesOf(URGENT)).toEqual(before.notes);
    expect(h.sent.length).toBe(before.sent);
    expect(await h.store.audit({ limit: 50 })).toEqual(before.audit);
    expect(await consultationOf(OTHER_TIME)).toEqual(before.c);
    expect((await h.store.staffAccounts()).map((a) => a.name)).toEqual(['admin']);
  });
});

describe('security', () => {
  it('Authorization: Bearer has the same failed-attempt limit as the sign-in page, and shares it', async () => {
    for (let i = 0; i < 5; i++) expect((await request(base).get('/api/handoffs').set('Authorization', `Bearer guess-${i}`)).status).toBe(401);
    const locked = await request(base).get('/api/handoffs').set(bearer);
    expect([locked.status, locked.body.reason, locked.headers['retry-after']]).toEqual([429, 'locked', '900']);
    expect((await request(base).post('/admin/login').type('form').send({ name: 'admin', password: PASSWORD })).status).toBe(429);
    h.clock.advance(16 * 60_000);
    expect((await request(base).get('/api/handoffs').set(bearer)).status).toBe(200);
  });

  it('behind the proxy (TRUST_PROXY=1) each colleague has their own address limit, and an account has its own across addresses', async () => {
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let i = 0; i < 5; i++) await request(base).post('/api/login').set(from('203.0.113.7')).send({ name: 'admin', password: `guess ${i}` });
    expect((await request(base).post('/api/login').set(from('203.0.113.7')).send({ name: 'admin', password: PASSWORD })).status).toBe(429);
    // A colleague behind the same proxy, from their own address, is not locked out by it.
    await request(base).post('/api/staff').set(bearer).set(from('198.51.100.20')).send({ name: 'Luis', password: 'luis password 1' });
    expect((await request(base).post('/api/login').set(from('198.51.100.20')).send({ name: 'Luis', password: 'luis password 1' })).status).toBe(200);
    // Ten failures on one account from ten addresses lock the account, whatever the address.
    for (let i = 0; i < 10; i++) await request(base).post('/api/login').set(from(`192.0.2.${i + 1}`)).send({ name: 'luis', password: 'wrong' });
    const account = await request(base).post('/api/login').set(from('192.0.2.99')).send({ name: 'Luis', password: 'luis password 1' });
    expect(account.status).toBe(429);
  });

  it('signing out ends the session on the server: a cookie captured before no longer reads anything', async () => {
    const login = await request(base).post('/api/login').send({ name: 'admin', password: PASSWORD });
    const jar = (login.headers['set-cookie'][0] as string).split(';')[0];
    expect((await request(base).get('/api/handoffs').set('Cookie', jar)).status).toBe(200);
    expect((await request(base).post('/api/logout').set('Cookie', jar)).status).toBe(403); // CSRF still needed
    const out = await request(base).post('/api/logout').set('Cookie', jar).set('X-CSRF-Token', login.body.csrf);
    expect([out.status, out.body]).toEqual([200, { signedOut: true }]);
    expect((await request(base).get('/api/handoffs').set('Cookie', jar)).status).toBe(401);

    // The dashboard's sign-out too.
    const page = await request(base).post('/admin/login').type('form').send({ name: 'admin', password: PASSWORD });
    const pageJar = String(page.headers['set-cookie']).split(';')[0];
    const inbox = await request(base).get('/admin').set('Cookie', pageJar);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(inbox.text)![1];
    await request(base).post('/admin/logout').set('Cookie', pageJar).type('form').send({ _csrf: csrf });
    expect((await request(base).get('/api/handoffs').set('Cookie', pageJar)).status).toBe(401);
    expect((await request(base).get('/admin').set('Cookie', pageJar)).status).toBe(303);
  });

  it('every /api answer says no-store; impossible dates are refused', async () => {
    for (const path of ['/api/handoffs', '/api/clients', '/api/nothing']) expect((await request(base).get(path).set(bearer)).headers['cache-control']).toBe('no-store');
    for (const path of ['/api/consultations?from=2026-02-31', '/api/consultations.csv?from=2026-02-30&to=2026-03-01', `/api/consultations/1/slots?day=2026-04-31`]) {
      const res = await request(base).get(path).set(bearer);
      expect([res.status, res.body.reason]).toEqual([400, 'bad-date']);
    }
    const login = await request(base).post('/admin/login').type('form').send({ name: 'admin', password: PASSWORD });
    const page = await request(base).get('/admin/consultations?from=2026-02-31').set('Cookie', String(login.headers['set-cookie']).split(';')[0]);
    expect(page.status).toBe(400);
    expect(page.text).toContain('is not a date');
  });
});

describe('clients', () => {
  it('finds clients by phone, name or what they wrote; opens the whole history', async () => {
    const byPhone = await request(base).get('/api/clients?q=%2B1%20555-111-0003').set(bearer);
    expect(byPhone.body.clients.map((c: { chat: string; name: string; phone: string; lang: string }) => [c.chat, c.name, c.phone, c.lang])).toEqual([[OTHER_TIME, 'Rosa Ortiz', '+15551110003', 'en']]);
    expect((await request(base).get('/api/clients?q=rosa').set(bearer)).body.clients.map((c: { chat: string }) => c.chat)).toEqual([OTHER_TIME]);
    const byText = await request(base).get('/api/clients?q=permiso').set(bearer);
    expect(byText.body.clients.map((c: { chat: string; match: string; lang: string }) => [c.chat, c.match, c.lang])).toEqual([[SPANISH, 'hola, necesito ayuda con mi permiso de trabajo', 'es']]);
    expect((await request(base).get('/api/clients?q=nobody-like-this').set(bearer)).body.clients).toEqual([]);
    expect((await request(base).get(`/api/clients?q=${'x'.repeat(101)}`).set(bearer)).status).toBe(400);

    const history = await request(base).get(`/api/clients/${OTHER_TIME}`).set(bearer);
    expect(history.status).toBe(200);
    expect(history.body.client).toMatchObject({ chat: OTHER_TIME, name: 'Rosa Ortiz', phone: '+15551110003' });
    expect(history.body.consultations.map((c: { status: string; preference: string; mode: string }) => [c.status, c.mode, c.preference])).toEqual([['requested', 'office', 'saturday morning or after 6pm']]);
    expect(history.body.handoffs.map((x: { kind: string; status: string }) => [x.kind, x.status])).toEqual([['consultation', 'open']]);
    expect(history.body.transcript[0]).toMatchObject({ author: 'client', text: 'i want to book a consultation' });
    expect(history.body.write).toEqual({ open: true });
    expect((await request(base).get('/api/clients/15550000000@c.us').set(bearer)).status).toBe(404);
    expect((await request(base).get('/api/clients/bad%20chat%3Cx%3E').set(bearer)).status).toBe(400);
  });

  it('notes: on the client and their open case, never sent; bad input changes nothing', async () => {
    const sent = h.sent.length;
    const res = await request(base).post(`/api/clients/${URGENT}/notes`).set(bearer).send({ text: 'Called the wife: he is at Elizabeth detention center' });
    expect(res.status).toBe(201);
    expect(res.body.note).toMatchObject({ chat: URGENT, author: 'admin', handoffId: (await urgentCase()).id, text: 'Called the wife: he is at Elizabeth detention center' });
    for (const [body, code] of [[{}, 400], [{ text: '  ' }, 400], [{ text: '\u0000 ' }, 400], [{ text: 5 }, 400], [{ text: 'x'.repeat(4001) }, 400]] as const) {
      expect((await request(base).post(`/api/clients/${URGENT}/notes`).set(bearer).send(body)).status).toBe(code);
    }
    expect((await request(base).post('/api/clients/15550000000@c.us/notes').set(bearer).send({ text: 'x' })).status).toBe(404);
    expect((await request(base).post('/api/handoffs/999/notes').set(bearer).send({ text: 'x' })).status).toBe(404);
    expect((await h.store.notesOf(URGENT)).map((n) => n.text)).toEqual(['Called the wife: he is at Elizabeth detention center']);
    expect(h.sent.length).toBe(sent);
    const caseNote = await request(base).post(`/api/handoffs/${(await urgentCase()).id}/notes`).set(bearer).send({ text: 'Second\u0000 note' }); // a NUL (PostgreSQL cannot store it) is dropped
    expect(caseNote.status).toBe(201);
    const detail = await request(base).get(`/api/handoffs/${(await urgentCase()).id}`).set(bearer);
    expect(detail.body.handoff.notes.map((n: { text: string }) => n.text)).toEqual(['Called the wife: he is at Elizabeth detention center', 'Second note']);
    expect(detail.body.handoff.audit.map((a: { actor: string; action: string }) => [a.actor, a.action])).toEqual([['admin', 'note.add'], ['admin', 'note.add']]);
  });

  it('writes to a client within the window (the case is claimed by the writer); outside it on the Cloud API nothing is sent and the desk says why', async () => {
    const res = await request(base).post(`/api/clients/${SPANISH}/messages`).set(bearer).send({ text: 'Hola, soy de la oficina. ¿Le podemos llamar?' });
    expect([res.status, res.body]).toEqual([200, { delivery: 'sent' }]);
    expect(h.sent.at(-1)).toEqual({ chat: SPANISH, text: 'Hola, soy de la oficina. ¿Le podemos llamar?' });
    const [taken] = (await h.store.handoffsOf(SPANISH));
    expect([taken.status, taken.claimedBy, taken.repliedAt]).toEqual(['open', 'admin', h.clock.now().toISOString()]);

    status.current = { name: 'cloud-api', state: 'connected' };
    h.clock.advance(25 * HOUR);
    const sent = h.sent.length;
    const refused = await request(base).post(`/api/clients/${OTHER_TIME}/messages`).set(bearer).send({ text: 'Are you there?' });
    expect([refused.status, refused.body.reason]).toEqual([409, 'window-closed']);
    expect(refused.body.error).toMatch(/within 24 hours of the client's last message[\s\S]*Nothing was sent[\s\S]*approved template message/);
    expect(h.sent.length).toBe(sent);
    expect((await h.store.transcript(OTHER_TIME)).some((t) => t.text === 'Are you there?')).toBe(false);
    const history = await request(base).get(`/api/clients/${OTHER_TIME}`).set(bearer);
    expect(history.body.write.open).toBe(false);
    expect((await request(base).post(`/api/clients/${OTHER_TIME}/messages`).set(bearer).send({})).status).toBe(400);
  });
});

describe('what clients sent', () => {
  it('a voice note is kept, linked to its line, and served only with a session, with its type from the allow-list', async () => {
    const line = (await h.store.transcript(URGENT)).find((t) => t.type === 'voice')!;
    expect(line.media).toMatchObject({ mimeType: 'audio/ogg', size: VOICE.length });
    const path = `/api/media/${line.media!.id}`;
    expect((await request(base).get(path)).status).toBe(401);
    const res = await request(base).get(path).set(bearer).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect([res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([200, 'audio/ogg', 'private, no-store']);
    expect(res.headers['content-disposition']).toMatch(/^inline/);
    expect(Buffer.compare(res.body as Buffer, VOICE)).toBe(0);
    expect((await request(base).get('/api/media/99999').set(bearer)).status).toBe(404);
    expect((await request(base).get('/api/media/abc').set(bearer)).status).toBe(400);
  });

  it('a document is a download; a type outside the allow-list is never served as itself', async () => {
    await h.say(SPANISH, '', { type: 'document', attachment: { mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 notice'), filename: 'aviso USCIS.pdf' } });
    const doc = (await h.store.transcript(SPANISH)).find((t) => t.type === 'document')!;
    const res = await request(base).get(`/api/media/${doc.media!.id}`).set(bearer);
    expect([res.headers['content-type'], res.headers['content-disposition']]).toEqual(['application/pdf', 'attachment; filename="aviso_USCIS.pdf"']);
    const odd = await h.store.withChat(SPANISH, (tx) => tx.addMedia({ messageId: 'odd', mimeType: 'text/html', data: Buffer.from('<script>alert(1)</script>'), at: h.clock.now().toISOString() }));
    const html = await request(base).get(`/api/media/${odd}`).set(bearer);
    expect([html.headers['content-type'], html.headers['content-disposition']]).toEqual(['application/octet-stream', `attachment; filename="file-${odd}.html"`]);
  });
});

describe('consultations', () => {
  it('a request with only a preference gets free times, cannot be confirmed before it has one, then is confirmed with the office address', async () => {
    const c = await consultationOf(OTHER_TIME);
    const refused = await request(base).post(`/api/consultations/${c.id}/confirm`).set(bearer).send({});
    expect([refused.status, refused.body.reason]).toEqual([409, 'needs-time']);
    const slots = (await request(base).get(`/api/consultations/${c.id}/slots`).set(bearer)).body.slots;
    expect(slots[0]).toEqual({ start: '2026-12-01T15:20:00.000Z', end: '2026-12-01T16:00:00.000Z', label: 'Tue, Dec 1, 10:20 AM', day: '2026-12-01' });
    const oneDay = (await request(base).get(`/api/consultations/${c.id}/slots?day=2026-12-02`).set(bearer)).body.slots;
    expect(oneDay.map((s: { label: string }) => s.label).slice(0, 3)).toEqual(['Wed, Dec 2, 9:00 AM', 'Wed, Dec 2, 9:40 AM', 'Wed, Dec 2, 10:20 AM']);

    const scheduled = await request(base).post(`/api/consultations/${c.id}/schedule`).set(bearer).send({ start: '2026-12-02T09:40:00-05:00' });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.consultation).toMatchObject({ status: 'requested', slot: { start: '2026-12-02T14:40:00.000Z', end: '2026-12-02T15:20:00.000Z' }, when: 'Wed, Dec 2, 9:40 AM' });
    expect(scheduled.body.consultation.delivery).toBeUndefined(); // nothing said to the client yet
    const confirmed = await request(base).post(`/api/consultations/${c.id}/confirm`).set(bearer).send({});
    expect([confirmed.body.consultation.status, confirmed.body.consultation.delivery]).toEqual(['confirmed', 'sent']);
    expect(h.sent.at(-1)).toEqual({ chat: OTHER_TIME, text: `✅ Your office consultation is *confirmed*: *Wed, Dec 2, 9:40 AM*. To change or cancel it, write here.\n📍 Our office: ${ADDRESS}` });
    const audit = (await h.store.audit({ chat: OTHER_TIME, limit: 10 })).map((e) => [e.actor, e.action, e.detail]);
    expect(audit).toEqual([['admin', 'consultation.confirm', 'Wed, Dec 2, 9:40 AM'], ['admin', 'consultation.schedule', 'Wed, Dec 2, 9:40 AM']]);
    // Rescheduling a confirmed one tells the client.
    const moved = await request(base).post(`/api/consultations/${c.id}/schedule`).set(bearer).send({ start: '2026-12-03T14:00:00Z' });
    expect([moved.body.consultation.status, moved.body.consultation.delivery]).toEqual(['confirmed', 'sent']);
    expect(h.sent.at(-1)!.text).toBe(`🔁 Your office consultation was *moved* to *Thu, Dec 3, 9:00 AM*. If that time does not work for you, write here.\n📍 Our office: ${ADDRESS}`);
  });

  it('a phone consultation\'s confirmation says which number will call (FIRM_PHONE), in the client\'s language', async () => {
    const chat = '15557770000@c.us';
    const c = await h.store.withChat(chat, async (tx) => {
      await tx.touchContact(h.clock.now(), { name: 'Lucía', lang: 'es', inbound: true });
      return tx.insertConsultation({ mode: 'phone', name: 'Lucía Gómez', topic: 'permiso de trabajo', lang: 'es', slot: { start: '2026-12-04T15:00:00.000Z', end: '2026-12-04T15:40:00.000Z' }, at: h.clock.now().toISOString() });
    });
    const confirmed = await request(base).post(`/api/consultations/${c.id}/confirm`).set(bearer).send({});
    expect(confirmed.body.consultation.delivery).toBe('sent');
    expect(h.sent.at(-1)).toEqual({ chat, text: `✅ Su consulta por teléfono está *confirmada*: *vie 4 dic, 10:00 a.m.*. El abogado llamará a este número. Para cambiarla o cancelarla, escriba aquí.\n📞 La llamada vendrá del ${FIRM_PHONE}. Por favor, contéstela.` });
  });

  it('a time another client holds, a past time or a malformed one is refused, and nothing changes', async () => {
    const c = await consultationOf(OTHER_TIME);
    await h.store.withChat('15559990000@c.us', (tx) => tx.insertConsultation({ mode: 'phone', name: 'Other', topic: 't', lang: 'en', slot: { start: '2026-12-02T14:40:00.000Z', end: '2026-12-02T15:20:00.000Z' }, at: h.clock.now().toISOString() }));
    const cases: [unknown, number, string][] = [
      [{ start: '2026-12-02T15:00:00Z' }, 409, 'slot-taken'],
      [{ start: '2026-11-29T15:00:00Z' }, 400, 'past-time'],
      [{ start: 'tomorrow' }, 400, 'bad-time'],
      [{ start: '2026-02-31T10:00:00Z' }, 400, 'bad-date'],
      [{ start: '2026-12-02T15:00:30Z' }, 400, 'bad-time'],
      [{}, 400, 'missing'],
    ];
    for (const [body, code, reason] of cases) {
      const res = await request(base).post(`/api/consultations/${c.id}/schedule`).set(bearer).send(body as object);
      expect([res.status, res.body.reason]).toEqual([code, reason]);
    }
    expect(await consultationOf(OTHER_TIME)).toEqual(c);
    expect((await request(base).post('/api/consultations/999/schedule').set(bearer).send({ start: '2026-12-04T15:00:00Z' })).status).toBe(404);
  });

  it('proposing a time sends it to the client in their language as staff (the bot steps back); no-show only after the time', async () => {
    const c = await consultationOf(OTHER_TIME);
    const proposed = await request(base).post(`/api/consultations/${c.id}/propose`).set(bearer).send({ start: '2026-12-05T10:00:00-05:00' });
    expect([proposed.status, proposed.body.consultation.delivery, proposed.body.consultation.status]).toEqual([200, 'sent', 'requested']);
    expect(h.sent.at(-1)!.text).toBe('📅 For your office consultation we can offer *Sat, Dec 5, 10:00 AM*. Does that time work for you? Reply here and we will confirm it.');
    expect(await h.say(OTHER_TIME, 'yes that works')).toEqual([]); // staff answer now
    await request(base).post(`/api/consultations/${c.id}/confirm`).set(bearer).send({});
    const early = await request(base).post(`/api/consultations/${c.id}/no-show`).set(bearer);
    expect([early.status, early.body.reason]).toEqual([409, 'not-started']);
    h.clock.advance(5 * 24 * HOUR);
    const late = await request(base).post(`/api/consultations/${c.id}/no-show`).set(bearer);
    expect(late.body.consultation.status).toBe('no-show');
  });

  it('with WhatsApp down the confirmation waits in the outbox and the desk says so', async () => {
    const c = await consultationOf(OTHER_TIME);
    await request(base).post(`/api/consultations/${c.id}/schedule`).set(bearer).send({ start: '2026-12-02T14:40:00Z' });
    h.channel.down = true;
    const res = await request(base).post(`/api/consultations/${c.id}/confirm`).set(bearer).send({});
    expect([res.body.consultation.status, res.body.consultation.delivery]).toEqual(['confirmed', 'queued']);
  });
});

describe('calendar', () => {
  it('the feed parses as iCalendar with the consultation; its secret address needs no session and can be rotated', async () => {
    const c = await consultationOf(OTHER_TIME);
    await request(base).post(`/api/consultations/${c.id}/schedule`).set(bearer).send({ start: '2026-12-02T14:40:00Z' });
    const feed = await request(base).get('/api/calendar.ics').set(bearer);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const vcalendar = new ICAL.Component(ICAL.parse(feed.text));
    const events = vcalendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    const mine = events.find((e) => e.uid === `consultation-${c.id}@puente`)!;
    expect([mine.summary, mine.startDate.toJSDate().toISOString(), mine.endDate.toJSDate().toISOString(), mine.location]).toEqual([
      '(to confirm) Office consultation: Rosa Ortiz', '2026-12-02T14:40:00.000Z', '2026-12-02T15:20:00.000Z', ADDRESS,
    ]);

    const { path } = (await request(base).get('/api/calendar').set(bearer)).body;
    const open = await request(base).get(path);
    expect([open.status, open.text.includes(`consultation-${c.id}@puente`)]).toEqual([200, true]);
    expect((await request(base).get('/calendar/not-the-secret-at-all.ics')).status).toBe(404);
    const rotated = (await request(base).post('/api/calendar/rotate').set(bearer)).body.path;
    expect(rotated).not.toBe(path);
    expect((await request(base).get(path)).status).toBe(404);
    expect((await request(base).get(rotated)).status).toBe(200);
  });

  it('CSV export by date range (firm time), refused for a reversed range', async () => {
    const c = await consultationOf(OTHER_TIME);
    await request(base).post(`/api/consultations/${c.id}/schedule`).set(bearer).send({ start: '2026-12-02T14:40:00Z' });
    const csv = await request(base).get('/api/consultations.csv?from=2026-12-01&to=2026-12-31').set(bearer);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('"id","date","start","end","status","mode","name","phone","language","topic","preference","note"');
    expect(lines[1]).toBe(`"${c.id}","2026-12-02","09:40","10:20","requested","office","Rosa Ortiz","+15551110003","English","my work permit","saturday morning or after 6pm",""`);
    expect((await request(base).get('/api/consultations.csv?from=2026-12-31&to=2026-12-01').set(bearer)).body.reason).toBe('bad-range');
  });
});

describe('insights and accounts', () => {
  it('a confident answer marked wrong joins the training export', async () => {
    const { insights } = (await request(base).get('/api/insights?days=7').set(bearer)).body;
    const answer = insights.answers.find((a: { text: string }) => a.text === 'que es el 287g');
    expect([answer.intent, answer.title, answer.lang]).toEqual(['about_287g', '287(g) agreements', 'es']);
    expect(insights.languages).toEqual([{ lang: 'en', count: 2 }, { lang: 'es', count: 1 }]);
    expect((await request(base).post(`/api/answers/${answer.messageId}/wrong`).set(bearer)).body).toEqual({ marked: true });
    const yaml = parse((await request(base).get('/api/insights/training.yaml').set(bearer)).text);
    expect(yaml.marked_wrong).toEqual([{ text: 'que es el 287g', lang: 'es', answered: 'about_287g' }]);
    expect((await request(base).post('/api/answers/999999/wrong').set(bearer)).status).toBe(404);
    await request(base).post(`/api/answers/${answer.messageId}/unmark`).set(bearer);
    expect(parse((await request(base).get('/api/insights/training.yaml').set(bearer)).text).marked_wrong).toEqual([]);
  });

  it('admins add accounts, staff cannot; removing an account signs it out everywhere; every action names who', async () => {
    const added = await request(base).post('/api/staff').set(bearer).send({ name: 'Luis Pérez', password: 'luis password 1' });
    expect([added.status, added.body.staff.name, added.body.staff.role]).toEqual([201, 'Luis Pérez', 'staff']);
    for (const [body, reason] of [[{ name: 'Luis Pérez', password: 'another password' }, 'name-taken'], [{ name: '<b>', password: 'long enough pw' }, 'bad-name'], [{ name: 'Eva', password: 'short' }, 'bad-password'], [{ name: 'Eva', password: 'long enough pw', role: 'boss' }, 'bad-role']] as const) {
      expect((await request(base).post('/api/staff').set(bearer).send(body)).body.reason).toBe(reason);
    }
    const luis = { Authorization: 'Bearer Luis Pérez:luis password 1' };
    const notAdmin = await request(base).post('/api/staff').set(luis).send({ name: 'Eva', password: 'long enough pw' });
    expect([notAdmin.status, notAdmin.body.error]).toEqual([403, 'only an admin can add staff accounts']);
    const id = (await urgentCase()).id;
    await request(base).post(`/api/handoffs/${id}/reply`).set(luis).send({ text: 'We are on it.' });
    expect((await h.store.handoff(id))!.claimedBy).toBe('Luis Pérez');
    const login = await request(base).post('/api/login').send({ name: 'luis pérez', password: 'luis password 1' });
    const jar = (login.headers['set-cookie'][0] as string).split(';')[0];
    expect((await request(base).post('/api/staff/Luis%20P%C3%A9rez/remove').set(bearer)).status).toBe(200);
    expect((await request(base).get('/api/handoffs').set('Cookie', jar)).status).toBe(401);
    expect((await request(base).get('/api/handoffs').set(luis)).status).toBe(401);
    expect((await request(base).post('/api/staff/admin/remove').set(bearer)).body.reason).toBe('last-admin');
    const audit = (await request(base).get('/api/audit').set(bearer)).body.audit.map((e: { actor: string; action: string }) => `${e.actor}: ${e.action}`);
    expect(audit).toEqual(['admin: staff.remove', 'Luis Pérez: handoff.reply', 'admin: staff.add']);
  });
});
