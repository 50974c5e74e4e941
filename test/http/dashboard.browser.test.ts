/**
 * The dashboard in a real headless Chromium, as a small immigration office runs its day: find a client by phone, read
 * their history, add a note, play the voice note of an urgent case, give an "another time" request a real slot and
 * confirm it (the client gets the office address), subscribe to the calendar feed (it parses as iCalendar with that
 * consultation), two staff accounts whose names show in the audit list — on a laptop (1366×800) and a phone (390×844).
 * Full-page screenshots go to test-artifacts/screenshots/ for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers';
import { ADDRESS, CHATS, dashboardApp, PASSWORD, type DashboardApp } from './app';

const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const VIEWPORTS = {
  laptop: { viewport: { width: 1366, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;
type Kind = keyof typeof VIEWPORTS;

const DAY = 86_400_000;

let f: DashboardApp;
let browser: Browser;
/** Console errors (a CSP violation shows up here) and failed requests, per test. */
let problems: string[];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  f = await dashboardApp({ firmName: 'Rivera & Cho Immigration', more: true });
  problems = [];
});
afterEach(async () => {
  await f.stop();
});

async function open(kind: Kind): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...VIEWPORTS[kind], baseURL: f.url });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return { context, page };
}

async function shot(page: Page, kind: Kind, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${kind}-${name}.png`), fullPage: true });
}

/** Opens `path`, is sent to the sign-in page, signs in with a name and password and lands back on `path`. */
async function signIn(page: Page, kind: Kind, path = '/admin', name = 'admin', password = PASSWORD): Promise<void> {
  await page.goto(path);
  await page.waitForURL(new RegExp(`/admin/login\\?next=${encodeURIComponent(path)}$`));
  if (path === '/admin' && name === 'admin') await shot(page, kind, 'login');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`${path.replace(/[?]/g, '\\?')}$`));
}

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.first().waitFor();
  expect((await locator.first().innerText()).toLowerCase()).toContain(text.toLowerCase());
}

it('an office day on a laptop: find a client, read, note, listen, schedule and confirm, subscribe, two accounts in the audit', async () => {
  const { context, page } = await open('laptop');
  await signIn(page, 'laptop');

  // The inbox: the emergency first, with the details the client sent and their latest message.
  const first = page.locator('.queue-item').first();
  expect(await first.getAttribute('class')).toContain('kind-urgent');
  await expectText(first, 'Born: 1988-03-02');
  await expectText(first, 'Latest: “they took my husband Carlos Mejia');
  await shot(page, 'laptop', 'inbox');

  // Find a client by phone and read their history.
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByLabel('Search clients').fill('+1 (555) 123-0004');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/admin\/clients\?q=/);
  expect(await page.locator('.client-list li').count()).toBe(1);
  await shot(page, 'laptop', 'clients-search');
  await page.locator('.client-list a').first().click();
  await page.waitForURL(new RegExp(`/admin/clients/${encodeURIComponent(CHATS.otherTime)}$`));
  await expectText(page.locator('h1'), 'Rosa Ortiz');
  await expectText(page.locator('.history').nth(1), 'saturday morning or after 6pm');
  await expectText(page.locator('.transcript').last(), 'my work permit is late');

  // An internal note, shown in the conversation in its own style and never sent.
  const sentBefore = f.sentTo(CHATS.otherTime).length;
  await page.getByLabel(/Note for colleagues/).fill('Prefers Saturday; works weekdays until 6pm.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await page.waitForURL(/done=noted/);
  await expectText(page.locator('.bubble.note').last(), 'Prefers Saturday');
  expect(f.sentTo(CHATS.otherTime).length).toBe(sentBefore);
  await shot(page, 'laptop', 'client-history');

  // The urgent case: the voice note plays.
  await page.goto(`/admin/handoffs/${f.ids.urgent}`);
  const audio = page.locator('audio.media-audio');
  await audio.waitFor();
  const played = await audio.evaluate(async (el) => {
    const a = el as unknown as { play(): Promise<void>; paused: boolean; duration: number; currentTime: number };
    await a.play();
    await new Promise((done) => setTimeout(done, 300));
    return { duration: a.duration, advanced: a.currentTime > 0 };
  });
  expect(played.duration).toBeCloseTo(0.5, 1);
  expect(played.advanced).toBe(true);
  await expectText(page.locator('.summary').first(), 'Born: 1988-03-02');
  await shot(page, 'laptop', 'handoff-urgent');

  // The "another time" request gets a real slot, then is confirmed: the client gets it with the office address.
  await page.getByRole('link', { name: 'Consultations' }).click();
  const card = page.locator(`#c-${f.ids.otherTime}`);
  await expectText(card.locator('.c-when'), 'No time yet');
  expect(await card.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
  await shot(page, 'laptop', 'consultations');
  await card.getByRole('link', { name: 'Set a time…' }).click();
  await page.waitForURL(new RegExp(`/admin/consultations/${f.ids.otherTime}$`));
  await shot(page, 'laptop', 'consultation-schedule');
  const firstSlot = page.locator('.slots label').first();
  const slotLabel = (await firstSlot.innerText()).trim();
  await firstSlot.click();
  await page.getByRole('button', { name: 'Only set the time' }).click();
  await page.waitForURL(/done=scheduled/);
  await page.getByRole('button', { name: /^Confirm/ }).click();
  await page.waitForURL(/done=confirmed/);
  await expectText(page.locator('.flash'), 'The client was told on WhatsApp');
  const told = f.sentTo(CHATS.otherTime).at(-1)!;
  expect(told).toBe(`✅ Your office consultation is *confirmed*: *${slotLabel}*. To change or cancel it, write here.\n📍 Our office: ${ADDRESS}`);
  await expectText(page.locator(`#c-${f.ids.otherTime} .badge`), 'confirmed');
  await shot(page, 'laptop', 'consultations-confirmed');

  // The calendar: the subscription address works without a session and parses as iCalendar with the consultation.
  const feedUrl = (await page.locator('.feed code').innerText()).trim();
  const anonymous = await browser.newContext();
  const feed = await anonymous.request.get(feedUrl);
  expect(feed.status()).toBe(200);
  const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
  const booked = events.find((e) => e.uid === `consultation-${f.ids.otherTime}@puente`)!;
  expect([booked.summary, booked.location]).toEqual(['Office consultation: Rosa Ortiz', ADDRESS]);
  await anonymous.close();

  // A second account: Luis signs in on his phone and replies to the emergency; both names show in the audit list.
  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Luis Pérez');
  await page.getByLabel(/^Password/).fill('luis password 1');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.waitForURL(/done=staff-added/);
  await shot(page, 'laptop', 'staff');
  const phone = await open('phone');
  await signIn(phone.page, 'phone', `/admin/handoffs/${f.ids.urgent}`, 'Luis Pérez', 'luis password 1');
  await phone.page.getByLabel(/Reply to/).fill('Soy Luis del despacho. Le llamo ahora mismo.');
  await phone.page.getByRole('button', { name: 'Send' }).click();
  await phone.page.waitForURL(/done=sent/);
  await shot(phone.page, 'phone', 'handoff-reply');
  await phone.context.close();
  await page.goto(`/admin/handoffs/${f.ids.urgent}`);
  await page.getByRole('button', { name: /Take over from Luis/ }).click();
  await page.waitForURL(/done=claimed/);
  const audit = await page.locator('.audit').innerText();
  expect(audit).toMatch(/admin claimed the case[\s\S]*Luis Pérez replied to the client/);
  await expectText(page.locator('.facts'), 'admin');
  await shot(page, 'laptop', 'handoff-audit');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/admin\/login\?done=signed-out/);
  await context.close();
  expect(problems).toEqual([]);
}, 90_000);

it('every page fits a phone', async () => {
  const { context, page } = await open('phone');
  await signIn(page, 'phone');
  await shot(page, 'phone', 'inbox');
  const pages: [string, string][] = [
    ['handoff', `/admin/handoffs/${f.ids.urgent}`], ['clients', '/admin/clients'], ['client-history', `/admin/clients/${encodeURIComponent(CHATS.otherTime)}`],
    ['consultations', '/admin/consultations'], ['consultation-schedule', `/admin/consultations/${f.ids.otherTime}`], ['insights', '/admin/insights'],
    ['content', '/admin/content'], ['whatsapp', '/admin/whatsapp'], ['staff', '/admin/staff'],
  ];
  for (const [name, path] of pages) {
    await page.goto(path);
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect([name, await page.evaluate<number>('document.documentElement.scrollWidth')]).toEqual([name, 390]);
    await shot(page, 'phone', name);
  }
  // On a long conversation the reply box stays on screen.
  for (let i = 0; i < 12; i++) await f.h.say(CHATS.human, `mensaje número ${i} sobre la residencia de mi hermano`);
  await page.goto(`/admin/handoffs/${f.ids.human}`);
  const box = await page.locator('.composer').boundingBox();
  expect(box && box.y + box.height <= 844).toBe(true);
  await shot(page, 'phone', 'handoff-long');
  f.h.clock.advance(400 * DAY);
  await signIn(page, 'phone', '/admin/content');
  await expectText(page.locator('table'), 'over 180 days ago');
  await context.close();
  expect(problems).toEqual([]);
}, 90_000);
