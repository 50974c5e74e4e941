/**
 * The staff dashboard: server-rendered pages under /admin, thin over the {@link Desk}. No JavaScript, no front-end
 * build; every form posts with the CSRF token and ends in a redirect with a one-line notice.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { qrDataUrl } from '../qr';
import type { Logger } from '../../log';
import type { Auth } from './auth';
import { consultationsView, CONSULTATION_DAYS } from './consultations-view';
import { Desk, DeskError, parseDay } from './desk';
import { handoffView, inboxView } from './inbox-view';
import { contentView, insightsView } from './reports-view';
import { loginView, whatsappView } from './setup-view';
import { STYLE } from './style';
import { layout, messagePage, type Html, type NavKey } from './views';

/** What the dashboard needs. */
export interface PagesDeps {
  readonly desk: Desk;
  readonly auth: Auth;
  readonly log: Logger;
  /** Adds `Secure` to the session cookie (behind HTTPS). */
  readonly secureCookies: boolean;
  /** Shown in the top bar; "Puente" when unset. */
  readonly firmName?: string;
}

/** The one-line notices after a form, by the `done` query value (never echoed from the request). */
const DONE: Readonly<Record<string, string>> = {
  sent: 'Reply sent on WhatsApp.',
  queued: 'Reply saved. WhatsApp is not connected: it will be sent as soon as it is.',
  claimed: 'Claimed. Colleagues see your name in the inbox.',
  resolved: 'Resolved. Puente answers that client again.',
  confirmed: 'Consultation confirmed. The client was told on WhatsApp.',
  'confirmed-queued': 'Consultation confirmed. WhatsApp is not connected: the client will be told as soon as it is.',
  'confirmed-failed': 'Consultation confirmed, but the message to the client could not be sent. Please contact them another way.',
  cancelled: 'Consultation cancelled. The client was told on WhatsApp.',
  'cancelled-queued': 'Consultation cancelled. WhatsApp is not connected: the client will be told as soon as it is.',
  'cancelled-failed': 'Consultation cancelled, but the message to the client could not be sent. Please contact them another way.',
  failed: 'The reply could not be sent on WhatsApp. Please contact the client another way.',
  completed: 'Consultation marked completed.',
};

const MAX_ID = 2_147_483_647;
const REFRESH_SECONDS = 10;

/** A request error with an HTML page (bad input, missing things). */
class PageError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A positive integer id from the URL; 400 for anything else. */
function idParam(req: Request): number {
  const text = String(req.params.id ?? '');
  const id = /^[1-9]\d{0,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id > MAX_ID) throw new PageError(400, 'That link is not valid: the number in it is wrong.');
  return id;
}

/** A form field as trimmed text ('' when absent or sent more than once). */
function field(req: Request, name: string): string {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Only dashboard paths are followed after sign-in, so the form cannot send anyone elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(?:[/?#]|$)/.test(next) && !/[\\\s]/.test(next) && next.length <= 200 ? next : '/admin';
}

/** Builds the dashboard router (mount it on the app as is: the paths include /admin). */
export function pagesRouter(deps: PagesDeps): express.Router {
  const { desk, auth, log } = deps;
  const firmName = deps.firmName?.trim() || 'Puente';
  const router = express.Router();

  router.use('/admin', helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"] },
    },
  }));
  router.use('/admin', express.urlencoded({ extended: false, limit: '16kb' }));

  router.get('/admin/style.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type('text/css').send(STYLE);
  });

  /** Sends a whole page; signed-in pages are never cached (shared office computers). */
  const page = async (res: Response, status: number, title: string, body: Html, extra: { active?: NavKey; flash?: string; refresh?: number } = {}) => {
    const csrf = res.locals.csrf as string | undefined;
    const inbox = csrf ? await desk.inbox() : [];
    const session = csrf ? { csrf, inbox: inbox.length, urgent: inbox.filter((i) => i.kind === 'urgent').length } : undefined;
    res.status(status).set('Cache-Control', 'no-store').type('html').send(layout({ title, firmName, session, ...extra }, body));
  };
  const flash = (req: Request) => (typeof req.query.done === 'string' ? (Object.hasOwn(DONE, req.query.done) ? DONE[req.query.done] : undefined) : undefined);

  // Sign in and out.
  router.get('/admin/login', (req, res) => {
    if (auth.session(req)) return res.redirect(303, safeNext(req.query.next));
    const notice = req.query.done === 'signed-out' ? 'You are signed out.' : undefined;
    void page(res, 200, 'Sign in', loginView(firmName, safeNext(req.query.next), undefined, notice));
  });
  router.post('/admin/login', (req, res) => {
    const address = req.ip ?? 'unknown';
    const next = safeNext(field(req, 'next'));
    const wait = auth.limiter.retryAfter(address);
    if (wait > 0) {
      const minutes = Math.max(1, Math.ceil(wait / 60_000));
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      return void page(res, 429, 'Too many attempts', messagePage('Too many attempts', `For safety, signing in from this computer is paused. Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`));
    }
    if (!auth.checkPassword(typeof req.body?.password === 'string' ? req.body.password : undefined)) {
      auth.limiter.fail(address);
      log.warn('dashboard sign-in failed');
      return void page(res, 401, 'Sign in', loginView(firmName, next, 'That password is not right. Please check it and try again.'));
    }
    auth.limiter.succeed(address);
    auth.setCookie(res, auth.newSession(), deps.secureCookies);
    res.redirect(303, next);
  });

  // Everything below needs a session (and the CSRF token on POST).
  router.use('/admin', auth.pages);

  router.post('/admin/logout', (_req, res) => {
    auth.clearCookie(res);
    res.redirect(303, '/admin/login?done=signed-out');
  });

  // Inbox and handoffs.
  router.get('/admin', async (req, res) => {
    await page(res, 200, 'Inbox', inboxView(await desk.inbox()), { active: 'inbox', flash: flash(req) });
  });
  router.get('/admin/handoffs/:id', async (req, res) => {
    const item = await desk.handoff(idParam(req));
    await page(res, 200, item.name ?? 'Handoff', handoffView(item, res.locals.csrf as string, desk.timezone), { active: 'inbox', flash: flash(req) });
  });
  router.post('/admin/handoffs/:id/claim', async (req, res) => {
    const id = idParam(req);
    await desk.claim(id, field(req, 'staff').slice(0, 80) || 'staff');
    res.redirect(303, `/admin/handoffs/${id}?done=claimed`);
  });
  router.post('/admin/handoffs/:id/reply', async (req, res) => {
    const id = idParam(req);
    const text = field(req, 'text');
    if (!text) throw new PageError(400, 'The reply is empty. Go back and write a message first.');
    if (text.length > 4000) throw new PageError(400, 'The reply is too long for one WhatsApp message (4,000 characters at most).');
    const { delivery } = await desk.reply(id, text);
    res.redirect(303, `/admin/handoffs/${id}?done=${delivery}`);
  });
  router.post('/admin/handoffs/:id/resolve', async (req, res) => {
    await desk.resolve(idParam(req));
    res.redirect(303, '/admin?done=resolved');
  });

  // Consultations.
  const today = () => {
    const t = desk.today();
    return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
  };
  router.get('/admin/consultations', async (req, res) => {
    const from = typeof req.query.from === 'string' && req.query.from ? req.query.from : today();
    const list = await desk.consultations(from, CONSULTATION_DAYS); // 400 for a malformed date
    await page(res, 200, 'Consultations', consultationsView(list, from, today(), res.locals.csrf as string), { active: 'consultations', flash: flash(req) });
  });
  const backToConsultations = (req: Request, res: Response, id: number, done: string) => {
    let from = field(req, 'from');
    try {
      if (from) parseDay(from);
    } catch {
      from = '';
    }
    res.redirect(303, `/admin/consultations?${from ? `from=${from}&` : ''}done=${done}#c-${id}`);
  };
  router.post('/admin/consultations/:id/confirm', async (req, res) => {
    const id = idParam(req);
    const note = field(req, 'message').slice(0, 1000);
    const { delivery } = await desk.confirm(id, note || undefined);
    backToConsultations(req, res, id, delivery === 'sent' ? 'confirmed' : `confirmed-${delivery}`);
  });
  router.post('/admin/consultations/:id/cancel', async (req, res) => {
    const id = idParam(req);
    const message = field(req, 'message');
    if (!message) throw new PageError(400, 'Write a short message to the client saying why the consultation is cancelled; it is sent to them on WhatsApp.');
    const { delivery } = await desk.cancel(id, message.slice(0, 1000));
    backToConsultations(req, res, id, delivery === 'sent' ? 'cancelled' : `cancelled-${delivery}`);
  });
  router.post('/admin/consultations/:id/complete', async (req, res) => {
    const id = idParam(req);
    await desk.complete(id);
    backToConsultations(req, res, id, 'completed');
  });

  // Insights and content.
  const days = (req: Request) => {
    const text = typeof req.query.days === 'string' ? req.query.days : '30';
    const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= 365)) throw new PageError(400, 'The period must be between 1 and 365 days.');
    return n;
  };
  router.get('/admin/insights', async (req, res) => {
    await page(res, 200, 'Insights', insightsView(await desk.insights(days(req)), today()), { active: 'insights' });
  });
  router.get('/admin/insights.yaml', async (req, res) => {
    res.set('Cache-Control', 'no-store').type('text/yaml; charset=utf-8').attachment(`unrecognised-${today()}.yaml`).send(await desk.insightsYaml(days(req)));
  });
  router.get('/admin/content', async (_req, res) => {
    await page(res, 200, 'Content', contentView(desk.content()), { active: 'content' });
  });

  // Linking WhatsApp.
  router.get('/admin/whatsapp', async (_req, res) => {
    const channel = desk.channel();
    const qrImage = channel.qr ? await qrDataUrl(channel.qr) : undefined;
    const refresh = channel.state === 'connected' || channel.state === 'none' ? undefined : REFRESH_SECONDS;
    await page(res, 200, 'WhatsApp', whatsappView(channel, qrImage), { active: 'whatsapp', refresh });
  });

  // Any other dashboard address, signed in.
  router.use('/admin', async (_req, res) => {
    await page(res, 404, 'Not found', messagePage('Page not found', 'There is no page at this address.', { href: '/admin', label: 'Back to the inbox' }));
  });

  // Errors become a short page: the message of an expected error, never a stack trace.
  router.use('/admin', (err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const { status, message } = describe(err);
    if (status >= 500) log.error({ err }, 'dashboard error');
    if (res.headersSent) return;
    void page(res, status, status === 404 ? 'Not found' : 'Problem', messagePage(HEADING[status] ?? 'Something went wrong', message, { href: '/admin', label: 'Back to the inbox' }));
  });
  return router;
}

const HEADING: Readonly<Record<number, string>> = {
  400: 'That did not work',
  404: 'Not found',
  409: 'Already done',
  413: 'Too long',
};

function describe(err: Error & { status?: number; type?: string }): { status: number; message: string } {
  if (err instanceof DeskError) {
    const message = `${capitalise(err.message)}.${err.status === 404 ? ' It may have been removed.' : ''}`;
    return { status: err.status, message };
  }
  if (err instanceof PageError) return { status: err.status, message: err.message };
  if (err.type === 'entity.too.large') return { status: 413, message: 'That form is too large (16 KB at most). Shorten the text and try again.' };
  if (err.status && err.status >= 400 && err.status < 500) return { status: err.status, message: 'The form could not be read. Reload the page and try again.' };
  return { status: 500, message: 'Something went wrong on our side. It was logged; please try again in a moment.' };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
