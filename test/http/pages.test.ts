/**
 * The staff dashboard pages (SPEC §8), in-process with supertest against a real app: sign-in and its limits, every
 * page, the forms (CSRF, validation, what they change and what the client receives) and HTML escaping.
 */
import request from 'supertest';
import { parse } from 'yaml';
import { contentView } from '../../src/http/admin/reports-view';
import { CHATS, dashboardApp, FIRM, PASSWORD, type DashboardApp } from './app';

let f: DashboardApp;
beforeEach(async () => {
  f = await dashboardApp();
});
afterEach(async () => {
  await f.stop();
});

const PAGES = ['/admin', '/admin/consultations', '/admin/insights', '/admin/content', '/admin/whatsapp'];

/** Signs in through the form; returns the cookie header and the CSRF token of the signed-in pages. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await request(f.app).post('/admin/login').type('form').send({ password: PASSWORD, next: '/admin' });
  expect(res.status).toBe(303);
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  const page = await request(f.app).get('/admin').set('Cookie', cookie);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('no CSRF token in the page');
  return { cookie, csrf };
}

/** GET as a signed-in user. */
async function get(path: string, session: { cookie: string }) {
  return request(f.app).get(path).set('Cookie', session.cookie);
}

/** A form POST as a signed-in user (with the CSRF token unless `fields` sets `_csrf`). */
async function post(path: string, session: { cookie: string; csrf: string }, fields: Record<string, string> = {}) {
  return request(f.app).post(path).set('Cookie', session.cookie).type('form').send({ _csrf: session.csrf, ...fields });
}

/** Text that must never show in a page: leaked JavaScript values. The QR image is data, not text. */
function expectClean(html: string): void {
  const text = html.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '');
  expect(text).not.toMatch(/\bundefined\b|\bnull\b|\[object|\bNaN\b/);
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
}

/** The handoff ids in the order the inbox lists them. */
function inboxOrder(html: string): number[] {
  return [...html.matchAll(/<li class="queue-item[^"]*"><a href="\/admin\/handoffs\/(\d+)"/g)].map((m) => Number(m[1]));
}

describe('signing in', () => {
  it.each([...PAGES, '/admin/handoffs/1', '/admin/insights.yaml'])('GET %s without a session goes to the sign-in page', async (path) => {
    const res = await request(f.app).get(path);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
  });

  it('a POST without a session changes nothing and goes to the sign-in page', async () => {
    const res = await request(f.app).post(`/admin/handoffs/${f.ids.urgent}/resolve`).type('form').send({ _csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/login/);
    expect((await f.h.store.handoff(f.ids.urgent))?.status).toBe('open');
  });

  it('the sign-in page and the stylesheet need no session; the stylesheet is cacheable', async () => {
    const login = await request(f.app).get('/admin/login?next=%2Fadmin%2Fcontent');
    expect(login.status).toBe(200);
    expect(login.text).toContain('name="password"');
    expect(login.text).toContain('value="/admin/content"');
    expect(login.text).toContain(FIRM.replace('&', '&amp;'));
    expect(login.headers['content-security-policy']).toContain("default-src 'self'");
    const css = await request(f.app).get('/admin/style.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.headers['cache-control']).toMatch(/max-age=\d+/);
  });

  it('a wrong password shows the form again with a polite error (401)', async () => {
    const res = await request(f.app).post('/admin/login').type('form').send({ password: 'wrong', next: '/admin' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('That name and password do not match');
    expect(res.text).toContain('name="password"');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('the right password sets an HttpOnly, SameSite=Strict cookie and returns to where the user was going', async () => {
    const res = await request(f.app).post('/admin/login').type('form').send({ password: PASSWORD, next: '/admin/consultations?from=2026-12-01' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/consultations?from=2026-12-01');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^puente_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it.each(['https://evil.example/', '//evil.example/admin', '/elsewhere', '/admin\\@evil'])('never sends anyone to %s after signing in', async (next) => {
    const res = await request(f.app).post('/admin/login').type('form').send({ password: PASSWORD, next });
    expect(res.headers.location).toBe('/admin');
  });

  it('the 6th failed attempt from one address is refused for a while (429), even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await request(f.app).post('/admin/login').type('form').send({ password: `guess${i}` })).status).toBe(401);
    const res = await request(f.app).post('/admin/login').type('form').send({ password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.text).toMatch(/try again in 15 minutes/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('signing out clears the cookie', async () => {
    const session = await signIn();
    const res = await post('/admin/logout', session);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/login?done=signed-out');
    expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
  });
});

describe('the pages', () => {
  it.each([
    ['/admin', ['Inbox', 'URGENT', 'Wants a person', 'Consultation request', 'John Smith', '+15551230003', '12 min', '1 h']],
    ['/admin/consultations', ['Consultations', 'Tuesday, December 1', 'John Smith', '11:00 AM', '>requested<', 'my asylum case', 'Confirm', 'Cancel']],
    ['/admin/insights', ['Insights', 'Messages per day', 'Not understood', 'what is the weather like in miami', '/admin/insights.yaml']],
    ['/admin/content', ['Content']],
    ['/admin/whatsapp', ['WhatsApp', 'Not connected', 'waiting for the QR code to be scanned', 'Linked devices', 'Link a device', 'src="data:image/png;base64,', 'http-equiv="refresh"']],
  ])('%s renders', async (path, expected) => {
    const session = await signIn();
    const res = await get(path, session);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const text of expected) expect(res.text).toContain(text);
    expect(res.text).toContain(FIRM.replace('&', '&amp;'));
    expect(res.text).toMatch(/Inbox <span class="count count-urgent"[^>]*>3<\/span>/);
    expectClean(res.text);
  });

  it('a handoff shows who, the transcript in the firm\'s time and the forms with the CSRF token', async () => {
    const session = await signIn();
    const res = await get(`/admin/handoffs/${f.ids.human}`, session);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Wants a person');
    expect(res.text).toContain('Spanish');
    expect(res.text).toContain('href="tel:+15551230001"');
    expect(res.text).toContain('es sobre la residencia de mi hermano');
    expect(res.text).toMatch(/Client · <time[^>]*>Nov 30, 10:00 AM<\/time>/);
    expect(res.text).toMatch(/Puente · <time/);
    for (const action of ['reply', 'claim', 'resolve']) expect(res.text).toContain(`action="/admin/handoffs/${f.ids.human}/${action}"`);
    expect(res.text.match(/name="_csrf" value="[^"]+"/g)?.length).toBeGreaterThanOrEqual(4); // sign out, claim, resolve, reply
    expectClean(res.text);
  });

  it('a consultation handoff links to its consultation', async () => {
    const res = await get(`/admin/handoffs/${f.ids.consultationHandoff}`, await signIn());
    expect(res.text).toContain('Phone, Tue, Dec 1, 11:00 AM');
    expect(res.text).toContain(`/admin/consultations/${f.ids.consultation}`);
    expectClean(res.text);
  });

  it('the inbox lists the urgent handoff first, then the longest waiting', async () => {
    const res = await get('/admin', await signIn());
    expect(inboxOrder(res.text)).toEqual([f.ids.urgent, f.ids.human, f.ids.consultationHandoff]);
    expect(res.text).toMatch(/<li class="queue-item kind-urgent">/);
  });

  it('the firm name defaults to Puente', async () => {
    await f.stop();
    f = await dashboardApp({});
    const res = await request(f.app).get('/admin/login');
    expect(res.text).toContain('<a class="brand" href="/admin">Puente</a>');
  });

  it('content lists explainers not reviewed for 180 days, and missing translations', async () => {
    f.h.clock.advance(400 * 86_400_000);
    const res = await get('/admin/content', await signIn());
    expect(res.text).toMatch(/Content <span class="muted">· \d+ explainers, <strong>\d+ to review<\/strong>/);
    expect(res.text).toContain('(over 180 days ago)');
    expect(res.text).toContain('responses/es/urgent_detention.md');
    expectClean(res.text);
    const row = { intent: 'fees', lang: 'en' as const, title: 'Fees <b>', sourceCount: 0, sources: [], mainLength: 1200, sectionCount: 0, hasReminder: false, stale: true, long: true };
    const page = contentView([{ intent: 'fees', title: 'Fees <b>', en: row, needsReview: true }]).value;
    expect(page).toContain('Missing: no translation');
    expect(page).toContain('No “reviewed” date');
    expect(page).toContain('Fees &lt;b&gt;');
  });

  it('insights.yaml is YAML with the unrecognised messages by language', async () => {
    const res = await get('/admin/insights.yaml', await signIn());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/yaml/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?training-2026-11-30\.yaml"?/);
    const doc = parse(res.text) as { examples: { en: string[]; es: string[] } };
    expect(doc.examples.en).toEqual(expect.arrayContaining(['what is the weather like in miami']));
    expect(Array.isArray(doc.examples.es)).toBe(true);
  });

  it('a malformed date or period is a 400 page', async () => {
    const session = await signIn();
    for (const path of ['/admin/consultations?from=tomorrow', '/admin/insights?days=0', '/admin/insights?days=abc']) {
      const res = await get(path, session);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expectClean(res.text);
    }
  });

  it('shows what a client wrote as text, never as markup', async () => {
    await f.h.say(CHATS.human, '<script>alert(1)</script> & "hola"');
    const res = await get(`/admin/handoffs/${f.ids.human}`, await signIn());
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hola&quot;');
    expect(res.text).not.toContain('<script>');
  });
});

describe('the forms', () => {
  it('a POST without or with a wrong CSRF token is refused (403) and changes nothing', async () => {
    const session = await signIn();
    const missing = await request(f.app).post(`/admin/handoffs/${f.ids.urgent}/resolve`).set('Cookie', session.cookie).type('form').send({});
    expect(missing.status).toBe(403);
    const wrong = await post(`/admin/handoffs/${f.ids.urgent}/resolve`, session, { _csrf: `${session.csrf}x` });
    expect(wrong.status).toBe(403);
    const reply = await post(`/admin/handoffs/${f.ids.urgent}/reply`, session, { _csrf: 'nope', text: 'hello' });
    expect(reply.status).toBe(403);
    expect((await f.h.store.handoff(f.ids.urgent))?.status).toBe('open');
    expect(f.sentTo(CHATS.urgent).join('\n')).not.toContain('hello');
  });

  it('a reply goes to the client through the channel and counts as staff activity', async () => {
    const session = await signIn();
    const res = await post(`/admin/handoffs/${f.ids.urgent}/reply`, session, { text: 'We are calling you now. Do not open the door.' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/handoffs/${f.ids.urgent}?done=sent#latest`);
    expect(f.sentTo(CHATS.urgent)).toContain('We are calling you now. Do not open the door.');
    expect((await f.h.store.handoff(f.ids.urgent))?.lastStaffAt).toBe(f.h.clock.now().toISOString());
    const page = await get(res.headers.location, session);
    expect(page.text).toContain('Reply sent on WhatsApp.');
    expect(page.text).toMatch(/Staff · <time[^>]*>[^<]+<\/time><\/span><span class="text">We are calling you now/);
  });

  it('an empty reply is a 400 page and sends nothing', async () => {
    const session = await signIn();
    const before = f.h.sent.length;
    const res = await post(`/admin/handoffs/${f.ids.urgent}/reply`, session, { text: '   ' });
    expect(res.status).toBe(400);
    expect(f.h.sent.length).toBe(before);
  });

  it('claim records the signed-in account; resolve takes the handoff out of the inbox', async () => {
    const session = await signIn();
    expect((await post(`/admin/handoffs/${f.ids.human}/claim`, session)).headers.location).toBe(`/admin/handoffs/${f.ids.human}?done=claimed`);
    expect((await f.h.store.handoff(f.ids.human))?.claimedBy).toBe('admin'); // the signed-in account
    await post(`/admin/handoffs/${f.ids.urgent}/claim`, session);
    expect((await f.h.store.handoff(f.ids.urgent))?.claimedBy).toBe('admin');
    expect((await get('/admin', session)).text).toContain('<span class="claimed">admin</span>');

    const res = await post(`/admin/handoffs/${f.ids.urgent}/resolve`, session);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin?done=resolved');
    const inbox = await get(res.headers.location, session);
    expect(inboxOrder(inbox.text)).toEqual([f.ids.human, f.ids.consultationHandoff]);
    expect(inbox.text).toContain('Resolved. Puente answers that client again.');
    const again = await post(`/admin/handoffs/${f.ids.urgent}/resolve`, session);
    expect(again.status).toBe(409);
    expect(again.text).toContain('The handoff is already resolved.');
  });

  it('confirm tells the client and then the consultation can be completed', async () => {
    const session = await signIn();
    const res = await post(`/admin/consultations/${f.ids.consultation}/confirm`, session, { from: '2026-11-30', message: 'Please have your I-589 at hand.' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/consultations?from=2026-11-30&done=confirmed#c-${f.ids.consultation}`);
    expect((await f.h.store.consultation(f.ids.consultation))?.status).toBe('confirmed');
    const told = f.sentTo(CHATS.booking).at(-1);
    expect(told).toContain('consultation is *confirmed*');
    expect(told).toContain('Please have your I-589 at hand.');
    const page = await get('/admin/consultations?from=2026-11-30&done=confirmed', session);
    expect(page.text).toContain('Consultation confirmed.');
    expect(page.text).toMatch(/<span class="badge status-confirmed">confirmed<\/span>/);
    expect(inboxOrder((await get('/admin', session)).text)).not.toContain(f.ids.consultationHandoff);

    expect((await post(`/admin/consultations/${f.ids.consultation}/complete`, session)).status).toBe(303);
    expect((await f.h.store.consultation(f.ids.consultation))?.status).toBe('completed');
  });

  it('cancel needs a message (400), then tells the client with it', async () => {
    const session = await signIn();
    const empty = await post(`/admin/consultations/${f.ids.consultation}/cancel`, session, { message: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('A short message to the client saying why the consultation is cancelled must not be blank');
    expect((await f.h.store.consultation(f.ids.consultation))?.status).toBe('requested');

    const res = await post(`/admin/consultations/${f.ids.consultation}/cancel`, session, { message: 'The attorney is in court that day.' });
    expect(res.status).toBe(303);
    expect((await f.h.store.consultation(f.ids.consultation))?.status).toBe('cancelled');
    const told = f.sentTo(CHATS.booking).at(-1);
    expect(told).toContain('was cancelled by our office');
    expect(told).toContain('The attorney is in court that day.');
    const completeCancelled = await post(`/admin/consultations/${f.ids.consultation}/complete`, session);
    expect(completeCancelled.status).toBe(409);
  });

  it.each(['abc', '0', '99999999999', '1.5', '-1'])('a bad id (%s) is a 400 page', async (id) => {
    const session = await signIn();
    for (const res of [await get(`/admin/handoffs/${id}`, session), await post(`/admin/handoffs/${id}/resolve`, session), await post(`/admin/consultations/${id}/confirm`, session)]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('The id must be a positive whole number');
      expectClean(res.text);
    }
  });

  it('an unknown id is a 404 page', async () => {
    const session = await signIn();
    for (const res of [await get('/admin/handoffs/999', session), await post('/admin/handoffs/999/claim', session), await post('/admin/consultations/999/complete', session)]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expectClean(res.text);
    }
    const nowhere = await get('/admin/nowhere', session);
    expect(nowhere.status).toBe(404);
    expect(nowhere.text).toContain('Page not found');
  });

  it('an oversized form is refused (413) and sends nothing', async () => {
    const session = await signIn();
    const before = f.h.sent.length;
    const res = await post(`/admin/handoffs/${f.ids.urgent}/reply`, session, { text: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('too large');
    expect(f.h.sent.length).toBe(before);
  });
});
