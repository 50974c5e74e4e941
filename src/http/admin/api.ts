/**
 * The JSON API under /api (SPEC §8): the dashboard's operations for scripts and integrations. Every route needs a
 * session cookie (with `X-CSRF-Token` on changes) or `Authorization: Bearer <ADMIN_PASSWORD>`. Input is validated;
 * errors are `{ "error": "…" }` with a 4xx status and nothing changed.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../log';
import type { Auth } from './auth';
import { DeskError, type Desk } from './desk';

/** What the API needs. */
export interface ApiDeps {
  readonly desk: Desk;
  readonly auth: Auth;
  readonly log: Logger;
  readonly secureCookies: boolean;
}

/** A positive id from the path, or a 400. */
function id(req: Request): number {
  const raw = String(req.params.id ?? '');
  if (!/^[1-9]\d{0,12}$/.test(raw)) throw new DeskError(400, 'the id must be a positive whole number');
  return Number(raw);
}

/** An optional or required string field of the JSON body, trimmed, at most `max` characters. */
function text(req: Request, field: string, options: { required: boolean; max: number }): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body && typeof body === 'object' ? body[field] : undefined;
  if (value === undefined || value === null || value === '') {
    if (options.required) throw new DeskError(400, `"${field}" is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new DeskError(400, `"${field}" must be a string`);
  const trimmed = value.trim();
  if (options.required && !trimmed) throw new DeskError(400, `"${field}" must not be blank`);
  if (trimmed.length > options.max) throw new DeskError(400, `"${field}" must be at most ${options.max} characters`);
  return trimmed || undefined;
}

/** A whole number query parameter within bounds, or its default. */
function intQuery(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new DeskError(400, `"${name}" must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

/** Wraps a handler so thrown errors (sync or async) reach the error handler. */
const route = (handler: (req: Request, res: Response) => unknown) => (req: Request, res: Response, next: NextFunction) => {
  Promise.resolve()
    .then(() => handler(req, res))
    .catch(next);
};

/** Builds the /api router. */
export function apiRouter(deps: ApiDeps): express.Router {
  const { desk, auth, log } = deps;
  const api = express.Router();
  const json = express.json({ limit: '16kb', strict: true, type: () => true });

  // Sign-in for browser scripts: returns the CSRF token to send back as X-CSRF-Token.
  api.post('/api/login', json, (req, res) => {
    const address = req.ip ?? 'unknown';
    const wait = auth.limiter.retryAfter(address);
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      res.status(429).json({ error: 'too many failed sign-ins; try again later' });
      return;
    }
    const password = (req.body as Record<string, unknown> | undefined)?.password;
    if (!auth.checkPassword(password)) {
      auth.limiter.fail(address);
      log.warn({ ip: address }, 'failed sign-in');
      res.status(401).json({ error: 'wrong password' });
      return;
    }
    auth.limiter.succeed(address);
    const session = auth.newSession();
    auth.setCookie(res, session, deps.secureCookies);
    res.json({ csrf: auth.csrf(session) });
  });

  api.use('/api', auth.api);
  api.use('/api', json);

  api.get('/api/status', route((_req, res) => res.json({ channel: desk.channel() })));

  api.get('/api/handoffs', route(async (_req, res) => res.json({ handoffs: await desk.inbox() })));
  api.get('/api/handoffs/:id', route(async (req, res) => res.json({ handoff: await desk.handoff(id(req)) })));
  api.post('/api/handoffs/:id/claim', route(async (req, res) => {
    const handoff = id(req);
    res.json({ handoff: await desk.claim(handoff, text(req, 'staff', { required: false, max: 80 }) ?? 'staff') });
  }));
  api.post('/api/handoffs/:id/reply', route(async (req, res) => {
    const handoff = id(req);
    const message = text(req, 'text', { required: true, max: 4000 })!;
    res.json(await desk.reply(handoff, message));
  }));
  api.post('/api/handoffs/:id/resolve', route(async (req, res) => res.json({ handoff: await desk.resolve(id(req)) })));

  api.get('/api/consultations', route(async (req, res) => {
    const from = req.query.from;
    if (from !== undefined && typeof from !== 'string') throw new DeskError(400, '"from" must be a date YYYY-MM-DD');
    res.json({ consultations: await desk.consultations(from, intQuery(req, 'days', 14, 1, 366)) });
  }));
  api.get('/api/consultations/:id', route(async (req, res) => res.json({ consultation: await desk.consultation(id(req)) })));
  api.post('/api/consultations/:id/confirm', route(async (req, res) => {
    const consultation = id(req);
    res.json({ consultation: await desk.confirm(consultation, text(req, 'message', { required: false, max: 1000 })) });
  }));
  api.post('/api/consultations/:id/cancel', route(async (req, res) => {
    const consultation = id(req);
    res.json({ consultation: await desk.cancel(consultation, text(req, 'message', { required: true, max: 1000 })!) });
  }));
  api.post('/api/consultations/:id/complete', route(async (req, res) => res.json({ consultation: await desk.complete(id(req)) })));

  api.get('/api/insights', route(async (req, res) => res.json({ insights: await desk.insights(intQuery(req, 'days', 30, 1, 365)) })));
  api.get('/api/insights/unrecognised.yaml', route(async (req, res) => {
    res.type('text/yaml').send(await desk.insightsYaml(intQuery(req, 'days', 30, 1, 365)));
  }));
  api.get('/api/content', route((_req, res) => res.json({ content: desk.content() })));

  api.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });
  // API errors: a clear 4xx for what the caller got wrong; a 500 without details otherwise.
  api.use('/api', (err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof DeskError) {
      res.status(err.status).json({ error: err.message });
      return;
    }
    if (err.status && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: err.status === 413 ? 'body too large (16 KB at most)' : 'the body must be valid JSON' });
      return;
    }
    log.error({ err }, 'api error');
    res.status(500).json({ error: 'internal error' });
  });
  return api;
}
