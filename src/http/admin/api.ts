/**
 * The JSON API under /api (SPEC §8): the desk's use cases for scripts and integrations. Every route needs a session
 * cookie (with `X-CSRF-Token` on changes) or `Authorization: Bearer <name>:<password>` (failures limited like the
 * sign-in page). Input goes through the one parser; errors are `{ "error": "…", "reason": "…" }` with a 4xx status
 * and nothing changed. Nothing under /api is ever cached.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Desk } from '../../desk';
import type { Logger } from '../../log';
import { actorOf, type Auth } from './auth';
import { describeError } from './errors';
import { chatParam, dayQuery, daysQuery, idParam, intQuery, searchQuery, startField, textField } from './input';
import { sendMedia } from './media';

/** What the API needs. */
export interface ApiDeps {
  readonly desk: Desk;
  readonly auth: Auth;
  readonly log: Logger;
}

/** Wraps a handler so thrown errors (sync or async) reach the error handler. */
export const route = (handler: (req: Request, res: Response) => unknown) => (req: Request, res: Response, next: NextFunction) => {
  Promise.resolve().then(() => handler(req, res)).catch(next);
};

/** Builds the /api router. */
export function apiRouter(deps: ApiDeps): express.Router {
  const { desk, auth, log } = deps;
  const api = express.Router();
  const json = express.json({ limit: '16kb', strict: true, type: () => true });
  const text = (req: Request, field: string, max: number, required = true) => textField(req, field, { required, max });

  // Transcripts and names must not stay in a browser's or a proxy's cache.
  api.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // Sign-in for browser scripts: returns the CSRF token to send back as X-CSRF-Token.
  api.post('/api/login', json, route(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = await auth.signIn(req, res, body.name, body.password);
    res.json({ csrf: session.csrf, staff: { name: session.actor.name, role: session.actor.role } });
  }));

  api.use('/api', auth.api);
  api.use('/api', json);

  api.post('/api/logout', route(async (req, res) => {
    await auth.signOut(req, res);
    res.json({ signedOut: true });
  }));
  api.get('/api/me', route((_req, res) => res.json({ staff: actorOf(res) })));
  api.get('/api/status', route((_req, res) => res.json({ channel: desk.channel() })));

  // Inbox.
  api.get('/api/handoffs', route(async (_req, res) => res.json({ handoffs: await desk.handoffs.inbox() })));
  api.get('/api/handoffs/:id', route(async (req, res) => res.json({ handoff: await desk.handoffs.get(idParam(req)) })));
  api.post('/api/handoffs/:id/claim', route(async (req, res) => res.json({ handoff: await desk.handoffs.claim(idParam(req), actorOf(res)) })));
  api.post('/api/handoffs/:id/reply', route(async (req, res) => {
    const id = idParam(req);
    res.json(await desk.handoffs.reply(id, text(req, 'text', 4000)!, actorOf(res)));
  }));
  api.post('/api/handoffs/:id/notes', route(async (req, res) => {
    const id = idParam(req);
    res.status(201).json({ note: await desk.handoffs.note(id, text(req, 'text', 4000)!, actorOf(res)) });
  }));
  api.post('/api/handoffs/:id/resolve', route(async (req, res) => res.json({ handoff: await desk.handoffs.resolve(idParam(req), actorOf(res)) })));

  // Clients.
  api.get('/api/clients', route(async (req, res) => res.json({ clients: await desk.clients.list(searchQuery(req), intQuery(req, 'limit', 50, 1, 200)) })));
  api.get('/api/clients/:chat', route(async (req, res) => res.json(await desk.clients.history(chatParam(req)))));
  api.post('/api/clients/:chat/notes', route(async (req, res) => {
    const chat = chatParam(req);
    res.status(201).json({ note: await desk.clients.note(chat, text(req, 'text', 4000)!, actorOf(res)) });
  }));
  api.post('/api/clients/:chat/messages', route(async (req, res) => {
    const chat = chatParam(req);
    res.json(await desk.clients.write(chat, text(req, 'text', 4000)!, actorOf(res)));
  }));

  // Consultations.
  api.get('/api/consultations', route(async (req, res) => res.json({ consultations: await desk.consultations.list(dayQuery(req, 'from'), intQuery(req, 'days', 14, 1, 366)) })));
  api.get('/api/consultations.csv', route(async (req, res) => {
    const { from, to, csv } = await desk.calendar.csv(dayQuery(req, 'from'), dayQuery(req, 'to')); // refused dates answer JSON, not a CSV download
    res.type('text/csv; charset=utf-8').attachment(`consultations-${from}-to-${to}.csv`).send(csv);
  }));
  api.get('/api/consultations/:id', route(async (req, res) => res.json({ consultation: await desk.consultations.get(idParam(req)) })));
  api.get('/api/consultations/:id/slots', route(async (req, res) => {
    const id = idParam(req);
    res.json({ slots: await desk.consultations.slots(id, { day: dayQuery(req, 'day') }) });
  }));
  api.post('/api/consultations/:id/schedule', route(async (req, res) => {
    const id = idParam(req);
    res.json({ consultation: await desk.consultations.schedule(id, startField(req, desk.timezone)!, actorOf(res)) });
  }));
  api.post('/api/consultations/:id/propose', route(async (req, res) => {
    const id = idParam(req);
    res.json({ consultation: await desk.consultations.propose(id, startField(req, desk.timezone, { required: false }), actorOf(res)) });
  }));
  api.post('/api/consultations/:id/confirm', route(async (req, res) => {
    const id = idParam(req);
    res.json({ consultation: await desk.consultations.confirm(id, text(req, 'message', 1000, false), actorOf(res)) });
  }));
  api.post('/api/consultations/:id/cancel', route(async (req, res) => {
    const id = idParam(req);
    res.json({ consultation: await desk.consultations.cancel(id, text(req, 'message', 1000)!, actorOf(res)) });
  }));
  api.post('/api/consultations/:id/complete', route(async (req, res) => res.json({ consultation: await desk.consultations.complete(idParam(req), actorOf(res)) })));
  api.post('/api/consultations/:id/no-show', route(async (req, res) => res.json({ consultation: await desk.consultations.noShow(idParam(req), actorOf(res)) })));

  // The firm's calendar.
  api.get('/api/calendar.ics', route(async (_req, res) => {
    const feed = await desk.calendar.feed();
    res.type('text/calendar; charset=utf-8').send(feed);
  }));
  api.get('/api/calendar', route(async (_req, res) => res.json({ path: `/calendar/${await desk.calendar.secret()}.ics` })));
  api.post('/api/calendar/rotate', route(async (_req, res) => res.json({ path: `/calendar/${await desk.calendar.rotate(actorOf(res))}.ics` })));

  // What clients sent.
  api.get('/api/media/:id', route(async (req, res) => sendMedia(res, await desk.media(idParam(req)))));

  // Insights and content.
  api.get('/api/insights', route(async (req, res) => res.json({ insights: await desk.insights.insights(daysQuery(req)) })));
  const training = route(async (req, res) => {
    const yaml = await desk.insights.trainingYaml(daysQuery(req));
    res.type('text/yaml').send(yaml);
  });
  api.get('/api/insights/unrecognised.yaml', training);
  api.get('/api/insights/training.yaml', training);
  api.post('/api/answers/:id/wrong', route(async (req, res) => {
    await desk.insights.markWrong(idParam(req), actorOf(res));
    res.json({ marked: true });
  }));
  api.post('/api/answers/:id/unmark', route(async (req, res) => {
    await desk.insights.unmark(idParam(req), actorOf(res));
    res.json({ marked: false });
  }));
  api.get('/api/content', route((_req, res) => res.json({ content: desk.insights.content() })));

  // Staff accounts and the audit list.
  api.get('/api/staff', route(async (_req, res) => res.json({ staff: await desk.staff.list() })));
  api.post('/api/staff', route(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.status(201).json({ staff: await desk.staff.add(actorOf(res), { name: body.name, password: body.password, role: body.role }) });
  }));
  api.post('/api/staff/:name/remove', route(async (req, res) => res.json({ removed: await desk.staff.remove(actorOf(res), String(req.params.name).slice(0, 80)) })));
  api.get('/api/audit', route(async (req, res) => res.json({ audit: await desk.audit(intQuery(req, 'limit', 100, 1, 1000)) })));

  api.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });
  // API errors: a clear 4xx for what the caller got wrong; a 500 without details otherwise.
  api.use('/api', (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const d = describeError(err);
    if (d.status >= 500) log.error({ err }, 'api error');
    if (d.retryAfter) res.set('Retry-After', String(d.retryAfter));
    res.status(d.status).json({ error: d.message, ...(d.reason ? { reason: d.reason } : {}) });
  });
  return api;
}
