/**
 * The dashboard in a real headless Chromium, as a paralegal uses it: sign in, open the urgent handoff, reply, resolve,
 * confirm a consultation. Full-page screenshots of every page on a laptop and a phone go to
 * test-artifacts/screenshots/ for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers';
import { CHATS, dashboardApp, PASSWORD, type DashboardApp } from './app';

const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const VIEWPORTS = {
  laptop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;

const DAY = 86_400_000;

let f: DashboardApp;
let browser: Browser;
/** Console errors (a CSP violation shows up here) and failed requests, per test. */
let problems: string[];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  f = await dashboardApp();
  problems = [];
});
afterEach(async () => {
  await f.stop();
});

async function open(kind: keyof typeof VIEWPORTS): Promise<{ context: BrowserContext; page: Page }> {
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

async function shot(page: Page, kind: keyof typeof VIEWPORTS, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${kind}-${name}.png`), fullPage: true });
}

/** Opens `path`, is sent to the sign-in page (no session, or it expired), signs in and lands back on `path`. */
async function signIn(page: Page, kind: keyof typeof VIEWPORTS, path = '/admin'): Promise<void> {
  await page.goto(path);
  await page.waitForURL(new RegExp(`/admin/login\\?next=${encodeURIComponent(path)}$`));
  if (path === '/admin') await shot(page, kind, 'login');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`${path}$`));
}

it('a paralegal on a laptop answers the urgent client, resolves it and confirms a consultation', async () => {
  const { context, page } = await open('laptop');
  await signIn(page, 'laptop');

  const first = page.locator('.queue-item').first();
  await expectText(first, 'URGENT');
  expect(await first.getAttribute('class')).toContain('kind-urgent');
  expect(await page.locator('.queue-item').count()).toBe(3);
  await shot(page, 'laptop', 'inbox');

  await first.locator('a').click();
  await page.waitForURL(new RegExp(`/admin/handoffs/${f.ids.urgent}$`));
  await expectText(page.locator('.transcript'), 'ICE is at my door');
  await shot(page, 'laptop', 'handoff');

  await page.getByLabel(/Message to/).fill('We are calling you right now. Do not open the door.');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(/done=sent/);
  await expectText(page.locator('.flash'), 'Reply sent');
  expect(f.sentTo(CHATS.urgent)).toContain('We are calling you right now. Do not open the door.');
  await expectText(page.locator('.bubble.from-staff').last(), 'We are calling you right now');

  await page.getByText('Mark resolved…').click(); // a second step, so an emergency is not closed by one stray tap
  await page.getByRole('button', { name: 'Yes, mark resolved' }).click();
  await page.waitForURL(/\/admin\?done=resolved$/);
  expect(await page.locator('.queue-item').count()).toBe(2);
  expect(await page.locator(`a[href="/admin/handoffs/${f.ids.urgent}"]`).count()).toBe(0);
  expect((await f.h.store.handoff(f.ids.urgent))?.status).toBe('resolved');

  await page.getByRole('link', { name: 'Consultations' }).click();
  const card = page.locator(`#c-${f.ids.consultation}`);
  await expectText(card.locator('.badge'), 'requested');
  await shot(page, 'laptop', 'consultations');
  await card.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(/done=confirmed/);
  await expectText(page.locator(`#c-${f.ids.consultation} .badge`), 'confirmed');
  expect((await f.h.store.consultation(f.ids.consultation))?.status).toBe('confirmed');
  expect(f.sentTo(CHATS.booking).at(-1)).toContain('consultation is *confirmed*');
  await shot(page, 'laptop', 'consultations-confirmed');

  for (const name of ['insights', 'content', 'whatsapp'] as const) {
    await page.getByRole('link', { name: name === 'whatsapp' ? 'WhatsApp' : capital(name), exact: true }).click();
    await page.waitForURL(new RegExp(`/admin/${name}$`));
    await shot(page, 'laptop', name);
  }
  expect(await page.locator('img.qr').evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth > 0; })).toBe(true);

  // Half a year later without reviews, the content page lists what to review (sessions last 12 hours: sign in again).
  f.h.clock.advance(400 * DAY);
  await signIn(page, 'laptop', '/admin/content');
  await expectText(page.locator('table'), 'over 180 days ago');
  await shot(page, 'laptop', 'content-review');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/admin\/login\?done=signed-out/);
  await context.close();
  expect(problems).toEqual([]);
}, 60_000);

it('every page fits a phone', async () => {
  const { context, page } = await open('phone');
  await signIn(page, 'phone');
  await shot(page, 'phone', 'inbox');
  for (const [name, path] of [['handoff', `/admin/handoffs/${f.ids.urgent}`], ['consultations', '/admin/consultations'], ['insights', '/admin/insights'], ['content', '/admin/content'], ['whatsapp', '/admin/whatsapp']] as const) {
    await page.goto(path);
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'phone', name);
  }
  await page.goto('/admin/consultations');
  await page.getByText('Add a note…').click();
  await page.getByText('Cancel…').click();
  await shot(page, 'phone', 'consultations-forms');
  f.h.clock.advance(400 * DAY);
  await signIn(page, 'phone', '/admin/content');
  await expectText(page.locator('table'), 'over 180 days ago');
  await shot(page, 'phone', 'content-review');
  await context.close();
  expect(problems).toEqual([]);
}, 60_000);

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.first().waitFor();
  expect((await locator.first().innerText()).toLowerCase()).toContain(text.toLowerCase());
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
