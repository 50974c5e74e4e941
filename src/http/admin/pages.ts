/**
 * The staff dashboard: server-rendered pages under /admin, thin over the {@link Desk} (input through the one parser,
 * errors through the one mapping). No JavaScript, no front-end build; every form posts with the CSRF token and ends
 * in a redirect with a one-line notice.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { isActive } from '../../booking/status';
import { DeskError, parseDay, type Desk } from '../../desk';
import type { Delivery } from '../../desk/context';
import type { InboxItem } from '../../desk/handoffs';
import type { Logger } from '../../log';
import { qrDataUrl } from '../qr';
import { route } from './api';
import { actorOf, type Auth } from './auth';
import { clientsView, clientView } from './client-view';
import { consultationsView, CONSULTATION_DAYS, scheduleView } from './consultations-view';
import { describeError } from './errors';
import { handoffView, inboxView } from './inbox-view';
import { chatParam, dayQuery, daysQuery, idParam, searchQuery, startField, textField } from './input';
import { sendMedia } from './media';
import { contentView, insightsView } from './reports-view';
import { loginView, whatsappView } from './setup-view';
import { staffView } from './staff-view';
import { STYLE } from './style';
import { layout, messagePage, type Html, type NavKey } from './views';

/** What the dashboard needs. */
export interface PagesDeps {
  readonly desk: Desk;
  readonly auth: Auth;
  readonly log: Logger;
  /** Shown in the top bar; "Puente" when unset. */
  readonly firmName?: string;
}

const NOT_CONNECTED = 'WhatsApp is not connected: it will be sent as soon as it is.';
const FAILED = 'the message could not be sent on WhatsApp. Please contact the client another way.';
const NOT_SENT = 'no message was sent (WhatsApp does not allow writing to this client now). Please call them.';

/** The one-line notices after a form, by the `done` query value (never echoed from the request). */
const DONE: Readonly<Record<string, string>> = {
  sent: 'Reply sent on WhatsApp.',
  queued: `Reply saved. ${NOT_CONNECTED}`,
  failed: 'The reply could not be sent on WhatsApp. Please contact the client another way.',
  claimed: 'Claimed. Colleagues see your name in the inbox.',
  resolved: 'Resolved. Puente answers that client again.',
  noted: 'Note saved. Only staff see it.',
  confirmed: 'Consultation confirmed. The client was told on WhatsApp.',
  'confirmed-queued': `Consultation confirmed. The confirmation is waiting: ${NOT_CONNECTED}`,
  'confirmed-failed': `Consultation confirmed, but ${FAILED}`,
  'confirmed-not-sent': `Consultation confirmed, but ${NOT_SENT}`,
  cancelled: 'Consultation cancelled. The client was told on WhatsApp.',
  'cancelled-queued': `Consultation cancelled. The message is waiting: ${NOT_CONNECTED}`,
  'cancelled-failed': `Consultation cancelled, but ${FAILED}`,
  'cancelled-not-sent': `Consultation cancelled, but ${NOT_SENT}`,
  scheduled: 'Time set. Confirm it when the client agrees (or propose it to them).',
  'scheduled-sent': 'Consultation moved. The client was told the new time on WhatsApp.',
  'scheduled-queued': `Consultation moved. The message is waiting: ${NOT_CONNECTED}`,
  'scheduled-failed': `Consultation moved, but ${FAILED}`,
  'scheduled-not-sent': `Consultation moved, but ${NOT_SENT}`,
  'proposed-sent': 'Time proposed to the client on WhatsApp. Confirm it when they agree.',
  'proposed-queued': `Time set and proposal saved. ${NOT_CONNECTED}`,
  'proposed-failed': `Time set, but ${FAILED}`,
  'proposed-not-sent': `Time set, but ${NOT_SENT}`,
  completed: 'Consultation marked completed.',
  'no-show': 'Consultation marked as a no-show.',
  'message-sent': 'Message sent on WhatsApp.',
  'message-queued': `Message saved. ${NOT_CONNECTED}`,
  'message-failed': 'The message could not be sent on WhatsApp. Please contact the client another way.',
  marked: 'Marked as a wrong answer. It is in the YAML export.',
  unmarked: 'Mark removed.',
  rotated: 'The calendar address changed. Subscribe again with the new one.',
  'staff-added': 'Account added. They sign in with their name and the password you chose.',
  'staff-removed': 'Account removed. They were signed out everywhere.',
};

const REFRESH_SECONDS = 10;

/** Only dashboard paths are followed after sign-in, so the form cannot send anyone elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(?:[/?#]|$)/.test(next) && !/[\\\s]/.test(next) && next.length <= 200 ? next : '/admin';
}

const field = (req: Request, name: string) => {
  const value = (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>)[name] : undefined);
  return typeof value === 'string' ? value.trim() : '';
};

/** Builds the dashboard router (mount it on the app as is: the paths include /admin). */
export function pagesRouter(deps: PagesDeps): express.Router {
  const { desk, auth, log } = deps;
  const firmName = deps.firmName?.trim() || 'Puente';
  const router = express.Router();

  router.use('/admin', helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], mediaSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"] },
    },
  }));
  router.use('/admin', express.urlencoded({ extended: false, limit: '16kb' }));

  router.get('/admin/style.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type('text/css').send(STYLE);
  });

  /**
   * Sends a whole page; signed-in pages are never cached (shared office computers). The nav badge counts the inbox:
   * `inbox` when the page already has it, else read here.
   */
  const page = async (
    res: Response, status: number, title: string, body: Html,
    extra: { active?: NavKey; flash?: string; refresh?: number; inbox?: readonly InboxItem[] } = {},
  ) => {
    const { inbox: known, ...options } = extra;
    const csrf = res.locals.csrf as string | undefined;
    const inbox = csrf ? (known ?? await desk.handoffs.inbox()) : [];
    const session = csrf ? { csrf, inbox: inbox.length, urgent: inbox.filter((i) => i.kind === 'urgent').length, name: actorOf(res).name } : undefined;
    res.status(status).set('Cache-Control', 'no-store').type('html').send(layout({ title, firmName, session, ...options }, body));
  };
  const flash = (req: Request) => (typeof req.query.done === 'string' && Object.hasOwn(DONE, req.query.done) ? DONE[req.query.done] : undefined);
  const csrfOf = (res: Response) => res.locals.csrf as string;
  const text = (req: Request, name: string, label: string, max = 4000) => textField(req, name, { required: true, max, label })!;

  // Sign in and out.
  router.get('/admin/login', route(async (req, res) => {
    if (await auth.session(req)) return res.redirect(303, safeNext(req.query.next));
    const notice = req.query.done === 'signed-out' ? 'You are signed out.' : undefined;
    await page(res, 200, 'Sign in', loginView(firmName, safeNext(req.query.next), undefined, notice));
  }));
  router.post('/admin/login', route(async (req, res) => {
    const next = safeNext(field(req, 'next'));
    const name = field(req, 'name').slice(0, 80);
    try {
      await auth.signIn(req, res, name, typeof req.body?.password === 'string' ? req.body.password : undefined);
    } catch (err) {
      if (!(err instanceof DeskError)) throw err;
      if (err.status === 429 && err.retryAfter !== undefined) {
        const minutes = Math.max(1, Math.ceil(err.retryAfter / 60));
        res.set('Retry-After', String(err.retryAfter));
        return page(res, 429, 'Too many attempts', messagePage('Too many attempts', `For safety, signing in is paused for this computer or this account. Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`));
      }
      return page(res, 401, 'Sign in', loginView(firmName, next, 'That name and password do not match. Please check them and try again.', undefined, name));
    }
    res.redirect(303, next);
  }));

  // Everything below needs a session (and the CSRF token on POST).
  router.use('/admin', auth.pages);

  router.post('/admin/logout', route(async (req, res) => {
    await auth.signOut(req, res);
    res.redirect(303, '/admin/login?done=signed-out');
  }));

  // Inbox and cases.
  router.get('/admin', route(async (req, res) => {
    const inbox = await desk.handoffs.inbox();
    await page(res, 200, 'Inbox', inboxView(inbox), { active: 'inbox', flash: flash(req), inbox });
  }));
  router.get('/admin/handoffs/:id', route(async (req, res) => {
    const item = await desk.handoffs.get(idParam(req));
    await page(res, 200, item.name ?? 'Case', handoffView(item, csrfOf(res), desk.timezone, actorOf(res).name), { active: 'inbox', flash: flash(req) });
  }));
  router.post('/admin/handoffs/:id/claim', route(async (req, res) => {
    const id = idParam(req);
    await desk.handoffs.claim(id, actorOf(res));
    res.redirect(303, `/admin/handoffs/${id}?done=claimed`);
  }));
  router.post('/admin/handoffs/:id/reply', route(async (req, res) => {
    const id = idParam(req);
    const { delivery } = await desk.handoffs.reply(id, text(req, 'text', 'The reply'), actorOf(res));
    res.redirect(303, `/admin/handoffs/${id}?done=${delivery}#latest`);
  }));
  router.post('/admin/handoffs/:id/notes', route(async (req, res) => {
    const id = idParam(req);
    await desk.handoffs.note(id, text(req, 'text', 'The note'), actorOf(res));
    res.redirect(303, `/admin/handoffs/${id}?done=noted#latest`);
  }));
  router.post('/admin/handoffs/:id/resolve', route(async (req, res) => {
    await desk.handoffs.resolve(idParam(req), actorOf(res));
    res.redirect(303, '/admin?done=resolved');
  }));

  // What clients sent (only with a session).
  router.get('/admin/media/:id', route(async (req, res) => sendMedia(res, await desk.media(idParam(req)))));

  // Clients.
  router.get('/admin/clients', route(async (req, res) => {
    const q = searchQuery(req);
    await page(res, 200, 'Clients', clientsView(await desk.clients.list(q), q, desk.timezone), { active: 'clients', flash: flash(req) });
  }));
  router.get('/admin/clients/:chat', route(async (req, res) => {
    const history = await desk.clients.history(chatParam(req));
    await page(res, 200, history.client.name ?? history.client.phone, clientView(history, csrfOf(res), desk.timezone), { active: 'clients', flash: flash(req) });
  }));
  router.post('/admin/clients/:chat/messages', route(async (req, res) => {
    const chat = chatParam(req);
    const { delivery } = await desk.clients.write(chat, text(req, 'text', 'The message'), actorOf(res));
    res.redirect(303, `/admin/clients/${encodeURIComponent(chat)}?done=message-${delivery}#latest`);
  }));
  router.post('/admin/clients/:chat/notes', route(async (req, res) => {
    const chat = chatParam(req);
    await desk.clients.note(chat, text(req, 'text', 'The note'), actorOf(res));
    res.redirect(303, `/admin/clients/${encodeURIComponent(chat)}?done=noted#latest`);
  }));

  // Consultations and the calendar.
  const feedUrl = async (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}/calendar/${await desk.calendar.secret()}.ics`;
  router.get('/admin/consultations', route(async (req, res) => {
    const from = dayQuery(req, 'from') ?? desk.today();
    const list = await desk.consultations.list(from, CONSULTATION_DAYS);
    await page(res, 200, 'Consultations', consultationsView(list, from, desk.today(), csrfOf(res), desk.now(), await feedUrl(req)), { active: 'consultations', flash: flash(req) });
  }));
  router.get('/admin/consultations.csv', route(async (req, res) => {
    const { from, to, csv } = await desk.calendar.csv(dayQuery(req, 'from'), dayQuery(req, 'to')); // a refused range is an error page, not a download
    res.set('Cache-Control', 'no-store').type('text/csv; charset=utf-8').attachment(`consultations-${from}-to-${to}.csv`).send(csv);
  }));
  router.get('/admin/calendar.ics', route(async (_req, res) => {
    const feed = await desk.calendar.feed();
    res.set('Cache-Control', 'no-store').type('text/calendar; charset=utf-8').attachment('consultations.ics').send(feed);
  }));
  router.post('/admin/calendar/rotate', route(async (_req, res) => {
    await desk.calendar.rotate(actorOf(res));
    res.redirect(303, '/admin/consultations?done=rotated#calendar');
  }));
  router.get('/admin/consultations/:id', route(async (req, res) => {
    const id = idParam(req);
    const day = dayQuery(req, 'day');
    const c = await desk.consultations.get(id);
    const slots = isActive(c.status) ? await desk.consultations.slots(id, { day }) : [];
    const audit = await desk.consultations.audit(id);
    await page(res, 200, c.name ?? 'Consultation', scheduleView(c, slots, csrfOf(res), audit, desk.timezone, day), { active: 'consultations', flash: flash(req) });
  }));
  const back = (req: Request, res: Response, id: number, done: string) => {
    let from = field(req, 'from');
    try {
      if (from) parseDay(from);
    } catch {
      from = '';
    }
    res.redirect(303, `/admin/consultations?${from ? `from=${from}&` : ''}done=${done}#c-${id}`);
  };
  const done = (kind: string, delivery: Delivery | undefined) => (delivery === 'sent' ? kind : `${kind}-${delivery}`);
  router.post('/admin/consultations/:id/schedule', route(async (req, res) => {
    const id = idParam(req);
    const start = startField(req, desk.timezone)!;
    if (field(req, 'then') === 'propose') {
      const c = await desk.consultations.propose(id, start, actorOf(res));
      return res.redirect(303, `/admin/consultations/${id}?done=proposed-${c.delivery ?? 'not-sent'}`);
    }
    const c = await desk.consultations.schedule(id, start, actorOf(res));
    res.redirect(303, `/admin/consultations/${id}?done=${c.delivery ? `scheduled-${c.delivery}` : 'scheduled'}`);
  }));
  router.post('/admin/consultations/:id/confirm', route(async (req, res) => {
    const id = idParam(req);
    const note = textField(req, 'message', { required: false, max: 1000, label: 'The note' });
    const c = await desk.consultations.confirm(id, note, actorOf(res));
    back(req, res, id, done('confirmed', c.delivery));
  }));
  router.post('/admin/consultations/:id/cancel', route(async (req, res) => {
    const id = idParam(req);
    const message = textField(req, 'message', { required: true, max: 1000, label: 'A short message to the client saying why the consultation is cancelled' })!;
    const c = await desk.consultations.cancel(id, message, actorOf(res));
    back(req, res, id, done('cancelled', c.delivery));
  }));
  router.post('/admin/consultations/:id/complete', route(async (req, res) => {
    const id = idParam(req);
    await desk.consultations.complete(id, actorOf(res));
    back(req, res, id, 'completed');
  }));
  router.post('/admin/consultations/:id/no-show', route(async (req, res) => {
    const id = idParam(req);
    await desk.consultations.noShow(id, actorOf(res));
    back(req, res, id, 'no-show');
  }));

  // Insights and content.
  router.get('/admin/insights', route(async (req, res) => page(res, 200, 'Insights', insightsView(await desk.insights.insights(daysQuery(req)), desk.today(), csrfOf(res)), { active: 'insights', flash: flash(req) })));
  router.get('/admin/insights.yaml', route(async (req, res) => {
    const yaml = await desk.insights.trainingYaml(daysQuery(req));
    res.set('Cache-Control', 'no-store').type('text/yaml; charset=utf-8').attachment(`training-${desk.today()}.yaml`).send(yaml);
  }));
  const insightsBack = (req: Request, res: Response, doneKey: string) => {
    const d = /^\d{1,3}$/.test(field(req, 'days')) ? field(req, 'days') : '30';
    res.redirect(303, `/admin/insights?days=${d}&done=${doneKey}#answers`);
  };
  router.post('/admin/answers/:id/wrong', route(async (req, res) => {
    await desk.insights.markWrong(idParam(req), actorOf(res));
    insightsBack(req, res, 'marked');
  }));
  router.post('/admin/answers/:id/unmark', route(async (req, res) => {
    await desk.insights.unmark(idParam(req), actorOf(res));
    insightsBack(req, res, 'unmarked');
  }));
  router.get('/admin/content', route(async (_req, res) => page(res, 200, 'Content', contentView(desk.insights.content()), { active: 'content' })));

  // Staff accounts.
  router.get('/admin/staff', route(async (req, res) => {
    await page(res, 200, 'Staff', staffView(await desk.staff.list(), actorOf(res), csrfOf(res), await desk.audit(30), desk.timezone), { active: 'staff', flash: flash(req) });
  }));
  router.post('/admin/staff', route(async (req, res) => {
    const role = field(req, 'role') === 'admin' ? 'admin' : 'staff'; // the form's choice; anything else is a staff account
    await desk.staff.add(actorOf(res), { name: field(req, 'name'), password: typeof req.body?.password === 'string' ? req.body.password : undefined, role });
    res.redirect(303, '/admin/staff?done=staff-added');
  }));
  router.post('/admin/staff/password', route(async (req, res) => {
    await desk.staff.setPassword(actorOf(res), actorOf(res).name, typeof req.body?.password === 'string' ? req.body.password : undefined);
    res.redirect(303, '/admin/login?done=signed-out');
  }));
  router.post('/admin/staff/:name/remove', route(async (req, res) => {
    await desk.staff.remove(actorOf(res), String(req.params.name).slice(0, 80));
    res.redirect(303, '/admin/staff?done=staff-removed');
  }));

  // Linking WhatsApp.
  router.get('/admin/whatsapp', route(async (_req, res) => {
    const channel = desk.channel();
    const qrImage = channel.qr ? await qrDataUrl(channel.qr) : undefined;
    const refresh = channel.state === 'connected' || channel.state === 'none' ? undefined : REFRESH_SECONDS;
    await page(res, 200, 'WhatsApp', whatsappView(channel, qrImage), { active: 'whatsapp', refresh });
  }));

  // Any other dashboard address, signed in.
  router.use('/admin', route(async (_req, res) => {
    await page(res, 404, 'Not found', messagePage('Page not found', 'There is no page at this address.', { href: '/admin', label: 'Back to the inbox' }));
  }));

  // Errors become a short page: the message of an expected error, never a stack trace.
  router.use('/admin', (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const d = describeError(err);
    if (d.status >= 500) log.error({ err }, 'dashboard error');
    if (res.headersSent) return;
    const message = d.status >= 500 ? 'Something went wrong on our side. It was logged; please try again in a moment.' : `${capitalise(d.message)}.${d.status === 404 ? ' It may have been removed.' : ' Go back and try again.'}`;
    void page(res, d.status, d.status === 404 ? 'Not found' : 'Problem', messagePage(HEADING[d.status] ?? 'Something went wrong', message, { href: '/admin', label: 'Back to the inbox' })).catch(() => res.status(d.status).end());
  });
  return router;
}

const HEADING: Readonly<Record<number, string>> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That cannot be done now',
  413: 'Too long',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
