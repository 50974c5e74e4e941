/**
 * Dashboard pages of the staff desk (issue 12), in-process: honest banners when nothing was sent, a preference that
 * cannot be confirmed, media only with a session, clients found and written to, impossible dates refused.
 */
import request from 'supertest';
import { CHATS, dashboardApp, type DashboardApp } from './app';

let f: DashboardApp;
beforeEach(async () => {
  f = await dashboardApp({ firmName: 'Rivera & Cho', more: true });
});
afterEach(async () => {
  await f.stop();
});

async function signIn(name = 'admin', password = 'correct horse') {
  const res = await request(f.app).post('/admin/login').type('form').send({ name, password, next: '/admin' });
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  const page = await request(f.app).get('/admin').set('Cookie', cookie);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
}
const post = (path: string, s: { cookie: string; csrf: string }, fields: Record<string, string> = {}) =>
  request(f.app).post(path).set('Cookie', s.cookie).type('form').send({ _csrf: s.csrf, ...fields });

it('confirming with WhatsApp down never says the client was told', async () => {
  const s = await signIn();
  f.h.channel.down = true;
  const res = await post(`/admin/consultations/${f.ids.consultation}/confirm`, s);
  expect(res.headers.location).toBe(`/admin/consultations?done=confirmed-queued#c-${f.ids.consultation}`);
  const page = await request(f.app).get(res.headers.location).set('Cookie', s.cookie);
  expect(page.text).toContain('Consultation confirmed. The confirmation is waiting: WhatsApp is not connected');
  expect(page.text).not.toContain('The client was told on WhatsApp');
});

it('a request with only a preference has no Confirm button and cannot be confirmed until it has a time', async () => {
  const s = await signIn();
  const list = await request(f.app).get('/admin/consultations').set('Cookie', s.cookie);
  expect(list.text).toContain('<strong>1 has no time yet</strong>');
  expect(list.text).not.toContain(`/admin/consultations/${f.ids.otherTime}/confirm`);
  const refused = await post(`/admin/consultations/${f.ids.otherTime}/confirm`, s);
  expect(refused.status).toBe(409);
  expect(refused.text).toContain('set a date and time first');
  expect((await f.h.store.consultation(f.ids.otherTime))?.status).toBe('requested');
  const scheduled = await post(`/admin/consultations/${f.ids.otherTime}/schedule`, s, { date: '2026-12-05', time: '10:00', then: 'propose' });
  expect(scheduled.headers.location).toBe(`/admin/consultations/${f.ids.otherTime}?done=proposed-sent`);
  expect((await f.h.store.consultation(f.ids.otherTime))?.slot).toEqual({ start: '2026-12-05T15:00:00.000Z', end: '2026-12-05T15:40:00.000Z' });
  expect(f.sentTo(CHATS.otherTime).at(-1)).toContain('we can offer *Sat, Dec 5, 10:00 AM*');
  const bad = await post(`/admin/consultations/${f.ids.otherTime}/schedule`, s, { date: '2026-02-31', time: '10:00' });
  expect([bad.status, bad.text.includes('is not a date')]).toEqual([400, true]);
});

it('media only with a session; clients found by phone; impossible dates refused', async () => {
  const line = (await f.h.store.transcript(CHATS.urgent)).find((t) => t.media)!;
  const anonymous = await request(f.app).get(`/admin/media/${line.media!.id}`);
  expect(anonymous.status).toBe(303);
  const s = await signIn();
  const served = await request(f.app).get(`/admin/media/${line.media!.id}`).set('Cookie', s.cookie);
  expect([served.status, served.headers['content-type']]).toEqual([200, 'audio/wav']);
  const handoff = await request(f.app).get(`/admin/handoffs/${f.ids.urgent}`).set('Cookie', s.cookie);
  expect(handoff.text).toContain(`<audio class="media-audio" controls preload="metadata" src="/admin/media/${line.media!.id}"`);
  const found = await request(f.app).get('/admin/clients?q=123-0004').set('Cookie', s.cookie);
  expect(found.text).toContain('Rosa Ortiz');
  expect(found.text).not.toContain('John Smith');
  expect((await request(f.app).get('/admin/consultations?from=2026-02-31').set('Cookie', s.cookie)).status).toBe(400);
});
