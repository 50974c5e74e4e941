/**
 * The JSON API (SPEC §8) in-process on a real HTTP server (port 0), wired as production wires it (test/http/app
 * `staffApp`: createAdmin over a whole core from `harness()` on a SQLite file): refused without credentials, works with
 * them, validates input with clear 4xx answers and changes nothing then.
 */
import request from 'supertest';
import { parse } from 'yaml';
import { ExplainerLibrary, parseExplainer } from '../../src/content/explainers';
import type { RunningHttp } from '../../src/http/server';
import { harness, RESPONSES_DIR, type Harness } from '../helpers';
import { staffApp } from './app';

const PASSWORD = 'correct horse battery';
let h: Harness;
let http: RunningHttp;
let base: string;

async function seed() {
  const say = (chat: string, text: string) => h.say(chat, text);
  await say('15551110001@c.us', 'agent');
  await say('15551110002@c.us', 'la migra esta en mi puerta');
  for (const text of ['quiero una consulta', 'por telefono', 'Maria Lopez', '1', 'mi caso de asilo', 'si']) await say('15551110003@c.us', text);
  await say('15551110004@c.us', 'what time does the dmv open');
  await say('15551110005@c.us', 'what time does the dmv open');
}

beforeEach(async () => {
  h = await harness({ env: { ADMIN_PASSWORD: PASSWORD } });
  await seed();
  const library = ExplainerLibrary.load(RESPONSES_DIR);
  const stale = parseExplainer('---\ntitle: Old\nreviewed: 2025-01-02\nsources: []\n---\nOld text', 'old_topic', 'en');
  const status = { current: { name: 'whatsapp-web', state: 'down' as const, needsQr: true }, qr: '2@qr' };
  const app = await staffApp(h, status, new ExplainerLibrary([...library.all(), stale]));
  http = app.http;
  base = app.url;
});
afterEach(async () => {
  await http.stop();
  await h.close();
});

const bearer = { Authorization: `Bearer ${PASSWORD}` };
const idOf = async (kind: string) => (await h.store.openHandoffs()).find((x) => x.kind === kind)!.id;

const ROUTES: [string, string][] = [
  ['get', '/api/status'], ['get', '/api/handoffs'], ['get', '/api/handoffs/1'], ['post', '/api/handoffs/1/claim'],
  ['post', '/api/handoffs/1/reply'], ['post', '/api/handoffs/1/resolve'], ['get', '/api/consultations'], ['get', '/api/consultations/1'],
  ['post', '/api/consultations/1/confirm'], ['post', '/api/consultations/1/cancel'], ['post', '/api/consultations/1/complete'],
  ['get', '/api/insights'], ['get', '/api/insights/unrecognised.yaml'], ['get', '/api/content'],
];

describe('credentials', () => {
  it.each(ROUTES)('%s %s is refused without credentials, and with a wrong bearer', async (method, path) => {
    const anonymous = await (request(base) as unknown as Record<string, (p: string) => request.Test>)[method](path).send({ text: 'x', message: 'x' });
    expect(anonymous.status).toBe(401);
    const wrong = await (request(base) as unknown as Record<string, (p: string) => request.Test>)[method](path).set('Authorization', 'Bearer nope').send({});
    expect(wrong.status).toBe(401);
  });

  it('nothing changed after refused requests', async () => {
    const before = (await h.store.openHandoffs()).length;
    await request(base).post(`/api/handoffs/${await idOf('human')}/resolve`);
    await request(base).post(`/api/handoffs/${await idOf('human')}/resolve`).set('Authorization', 'Bearer wrong');
    expect(await h.store.openHandoffs()).toHaveLength(before);
  });

  it('a session cookie works for reading; changes also need the CSRF token', async () => {
    const login = await request(base).post('/api/login').send({ password: PASSWORD });
    expect(login.status).toBe(200);
    const cookie = login.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = cookie.split(';')[0];
    expect((await request(base).get('/api/handoffs').set('Cookie', jar)).status).toBe(200);
    const id = await idOf('human');
    expect((await request(base).post(`/api/handoffs/${id}/resolve`).set('Cookie', jar)).status).toBe(403);
    expect((await request(base).post(`/api/handoffs/${id}/resolve`).set('Cookie', jar).set('X-CSRF-Token', 'forged')).status).toBe(403);
    expect((await h.store.handoff(id))!.status).toBe('open');
    expect((await request(base).post(`/api/handoffs/${id}/resolve`).set('Cookie', jar).set('X-CSRF-Token', login.body.csrf)).status).toBe(200);
    expect((await h.store.handoff(id))!.status).toBe('resolved');
  });

  it('the cookie is Secure when the request came over HTTPS through a proxy', async () => {
    const login = await request(base).post('/api/login').set('X-Forwarded-Proto', 'https').send({ password: PASSWORD });
    expect(login.headers['set-cookie'][0]).toMatch(/; Secure/);
    const plain = await request(base).post('/api/login').send({ password: PASSWORD });
    expect(plain.headers['set-cookie'][0]).not.toMatch(/Secure/);
  });

  it('a tampered or expired cookie is refused', async () => {
    const login = await request(base).post('/api/login').send({ password: PASSWORD });
    const jar = (login.headers['set-cookie'][0] as string).split(';')[0];
    expect((await request(base).get('/api/handoffs').set('Cookie', `${jar.slice(0, -2)}xx`)).status).toBe(401);
    h.clock.advance(13 * 3_600_000);
    expect((await request(base).get('/api/handoffs').set('Cookie', jar)).status).toBe(401);
  });

  it('limits failed sign-ins per address', async () => {
    for (let i = 0; i < 5; i++) expect((await request(base).post('/api/login').send({ password: `guess ${i}` })).status).toBe(401);
    const blocked = await request(base).post('/api/login').send({ password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900'); // 15 minutes from the first failure (the clock did not move)
    h.clock.advance(16 * 60_000);
    expect((await request(base).post('/api/login').send({ password: PASSWORD })).status).toBe(200);
  });

  it('health endpoints need no credentials and say nothing sensitive; secure headers are set', async () => {
    const health = await request(base).get('/healthz');
    expect(health.status).toBe(200);
    const ready = await request(base).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not ready', database: 'ok', backend: 'sqlite', channel: { name: 'whatsapp-web', state: 'down', needsQr: true } });
    expect(JSON.stringify(ready.body)).not.toMatch(/2@qr|1555/);
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(health.headers['x-powered-by']).toBeUndefined();
  });
});

describe('handoffs', () => {
  it('lists open handoffs urgent first, with waiting time and the consultation', async () => {
    const res = await request(base).get('/api/handoffs').set(bearer);
    expect(res.status).toBe(200);
    const kinds = res.body.handoffs.map((x: { kind: string }) => x.kind);
    expect(kinds).toEqual(['urgent', 'human', 'consultation']);
    const consultation = res.body.handoffs[2];
    expect(consultation.consultation).toMatchObject({ status: 'requested', name: 'Maria Lopez', mode: 'phone' });
    expect(consultation.phone).toBe('+15551110003');
    expect(res.body.handoffs[0].waitingMinutes).toBe(0);
  });

  it('shows one handoff with its transcript', async () => {
    const res = await request(base).get(`/api/handoffs/${await idOf('urgent')}`).set(bearer);
    expect(res.status).toBe(200);
    expect(res.body.handoff.transcript[0]).toMatchObject({ direction: 'in', author: 'client', text: 'la migra esta en mi puerta' });
  });

  it('claims, replies through the channel (staff activity: the bot stays quiet) and resolves', async () => {
    const id = await idOf('human');
    const claimed = await request(base).post(`/api/handoffs/${id}/claim`).set(bearer).send({});
    expect(claimed.body.handoff.claimedBy).toBe('admin'); // the account signed in (Bearer <password> is the admin account)
    const sentBefore = h.sent.length;
    const reply = await request(base).post(`/api/handoffs/${id}/reply`).set(bearer).send({ text: 'Hello, this is Ana from the firm.' });
    expect(reply.status).toBe(200);
    expect(reply.body.delivery).toBe('sent');
    expect(h.sent.slice(sentBefore)).toEqual([{ chat: '15551110001@c.us', text: 'Hello, this is Ana from the firm.' }]);
    expect((await h.store.handoff(id))!.lastStaffAt).toBe(h.clock.now().toISOString());
    expect((await h.store.transcript('15551110001@c.us')).at(-1)).toMatchObject({ author: 'staff', text: 'Hello, this is Ana from the firm.' });
    expect(await h.say('15551110001@c.us', 'thank you')).toEqual([]);
    const resolved = await request(base).post(`/api/handoffs/${id}/resolve`).set(bearer);
    expect(resolved.body.handoff.status).toBe('resolved');
    expect((await request(base).post(`/api/handoffs/${id}/resolve`).set(bearer)).status).toBe(409);
    expect((await request(base).get('/api/handoffs').set(bearer)).body.handoffs.map((x: { id: number }) => x.id)).not.toContain(id);
  });

  it('a reply while the channel cannot send is queued, not lost, and goes out once, in order, when it can', async () => {
    const id = await idOf('human');
    h.channel.down = true;
    const sentBefore = h.sent.length;
    const first = await request(base).post(`/api/handoffs/${id}/reply`).set(bearer).send({ text: 'Hola, soy Ana.' });
    expect([first.status, first.body]).toEqual([200, { delivery: 'queued' }]);
    const second = await request(base).post(`/api/handoffs/${id}/reply`).set(bearer).send({ text: '¿Me puede dar su nombre completo?' });
    expect(second.body).toEqual({ delivery: 'queued' });
    expect(h.sent.length).toBe(sentBefore);
    expect((await h.store.transcript('15551110001@c.us')).slice(-2).map((t) => [t.author, t.text])).toEqual([['staff', 'Hola, soy Ana.'], ['staff', '¿Me puede dar su nombre completo?']]);
    h.channel.down = false;
    h.clock.advance(5_000); // the sender's first back-off
    await h.core.sender.flush();
    expect(h.sent.slice(sentBefore)).toEqual([
      { chat: '15551110001@c.us', text: 'Hola, soy Ana.' },
      { chat: '15551110001@c.us', text: '¿Me puede dar su nombre completo?' },
    ]);
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it.each([['abc', 400], ['0', 400], ['-1', 400], ['1e9', 400], ['99999999999999', 400], ['999', 404]])('id %s → %i', async (id, status) => {
    expect((await request(base).get(`/api/handoffs/${id}`).set(bearer)).status).toBe(status);
    expect((await request(base).post(`/api/handoffs/${id}/resolve`).set(bearer)).status).toBe(status);
  });

  it('validates replies: missing, blank, wrong type, too long, not JSON, oversized — and sends nothing', async () => {
    const id = await idOf('human');
    const sentBefore = h.sent.length;
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /"text" is required/],
      [{ text: '   ' }, 400, /"text"/],
      [{ text: 123 }, 400, /must be a string/],
      [{ text: 'x'.repeat(4001) }, 400, /at most 4000/],
    ];
    for (const [body, status, message] of cases) {
      const res = await request(base).post(`/api/handoffs/${id}/reply`).set(bearer).send(body as object);
      expect([res.status, res.body.error]).toEqual([status, expect.stringMatching(message)]);
    }
    const notJson = await request(base).post(`/api/handoffs/${id}/reply`).set(bearer).set('Content-Type', 'application/json').send('{"text": ');
    expect(notJson.status).toBe(400);
    const huge = await request(base).post(`/api/handoffs/${id}/reply`).set(bearer).send({ text: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(h.sent.length).toBe(sentBefore);
    expect((await h.store.handoff(id))!.lastStaffAt).toBeUndefined();
  });
});

describe('consultations', () => {
  const consultationId = async () => (await h.store.consultations())[0].id;

  it('lists them by day in the firm time zone', async () => {
    const res = await request(base).get('/api/consultations?from=2026-11-30&days=14').set(bearer);
    expect(res.status).toBe(200);
    expect(res.body.consultations).toHaveLength(1);
    expect(res.body.consultations[0]).toMatchObject({ status: 'requested', day: '2026-12-01', when: 'Tue, Dec 1, 10:20 AM' });
    expect((await request(base).get('/api/consultations?from=2026-12-02').set(bearer)).body.consultations).toHaveLength(0);
  });

  it.each([['from=tomorrow', 400], ['from=2026-13-01', 400], ['days=0', 400], ['days=abc', 400], ['days=400', 400]])('%s → %i', async (query, status) => {
    expect((await request(base).get(`/api/consultations?${query}`).set(bearer)).status).toBe(status);
  });

  it('confirm tells the client in their language and resolves the consultation handoff', async () => {
    const res = await request(base).post(`/api/consultations/${await consultationId()}/confirm`).set(bearer).send({ message: 'Tenga a la mano su aviso de USCIS.' });
    expect(res.status).toBe(200);
    expect(res.body.consultation.status).toBe('confirmed');
    expect(res.body.consultation.delivery).toBe('sent');
    const last = h.sent.at(-1)!;
    expect(last.chat).toBe('15551110003@c.us');
    expect(last.text).toContain('está *confirmada*: *mar 1 dic, 10:20 a.m.*');
    expect(last.text).toContain('Tenga a la mano su aviso de USCIS.');
    expect((await h.store.openHandoffs()).map((x) => x.kind)).not.toContain('consultation');
    expect((await request(base).post(`/api/consultations/${await consultationId()}/confirm`).set(bearer)).status).toBe(409);
  });

  it('cancel needs a message for the client; complete only after confirming', async () => {
    expect((await request(base).post(`/api/consultations/${await consultationId()}/cancel`).set(bearer).send({})).status).toBe(400);
    expect((await request(base).post(`/api/consultations/${await consultationId()}/complete`).set(bearer)).status).toBe(409);
    expect((await h.store.consultations())[0].status).toBe('requested');
    const cancelled = await request(base).post(`/api/consultations/${await consultationId()}/cancel`).set(bearer).send({ message: 'El abogado está enfermo; le escribimos para otra fecha.' });
    expect(cancelled.body.consultation.status).toBe('cancelled');
    expect(h.sent.at(-1)!.text).toMatch(/canceló su consulta[\s\S]*El abogado está enfermo/);
    expect((await request(base).get('/api/consultations/999').set(bearer)).status).toBe(404);
  });
});

describe('insights and content', () => {
  it('counts messages per day and intent, the fallback rate, and the unrecognised messages', async () => {
    const res = await request(base).get('/api/insights?days=7').set(bearer);
    expect(res.status).toBe(200);
    const { insights } = res.body;
    expect(insights.total).toBe(10);
    expect(insights.perDay).toEqual([{ day: '2026-11-30', messages: 10, fallback: 2 }]);
    expect(insights.unrecognised[0]).toMatchObject({ text: 'what time does the dmv open', count: 2 });
    expect(insights.fallbackRate).toBe(0.2); // 2 of the 10 client messages answered "none"
    const yaml = await request(base).get('/api/insights/unrecognised.yaml').set(bearer);
    expect(yaml.headers['content-type']).toMatch(/yaml/);
    expect(parse(yaml.text).examples.en).toContain('what time does the dmv open');
  });

  it('lists every explainer in both languages, those needing review first', async () => {
    const res = await request(base).get('/api/content').set(bearer);
    const [first] = res.body.content;
    expect([first.intent, first.title, first.needsReview, first.en.reviewed, first.en.stale, first.es]).toEqual(['old_topic', 'Old', true, '2025-01-02', true, undefined]);
    const rights = res.body.content.find((c: { intent: string }) => c.intent === 'know_your_rights');
    expect([rights.title, rights.en.sourceCount > 0, rights.es.sourceCount > 0, rights.needsReview]).toEqual(['Your rights with ICE', true, true, false]);
    expect(res.body.content.length).toBeGreaterThanOrEqual(22);
  });

  it('unknown API routes are a JSON 404', async () => {
    const res = await request(base).get('/api/nothing').set(bearer);
    expect([res.status, res.body.error]).toEqual([404, 'no such API route']);
  });
});
