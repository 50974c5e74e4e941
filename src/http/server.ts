/**
 * The HTTP side: health endpoints now; the dashboard, JSON API and webhooks plug in here. Exported as start/stop so
 * tests run it in-process on port 0.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';

import type { ChannelStatus } from '../channels/channel';

export type { ChannelStatus } from '../channels/channel';

/** What the HTTP app needs to know about the rest of the process. */
export interface HttpDeps {
  readonly log: Logger;
  /** True when the database answers a trivial query. */
  databaseOk(): Promise<boolean>;
  /** Which database backs this server ('sqlite' or 'postgres'), shown in `/readyz`. */
  readonly backend?: string;
  channel(): ChannelStatus;
  /** Routers to mount before the 404 handler (channel webhooks, the dashboard). Each parses its own bodies. */
  readonly routers?: readonly express.Router[];
  /**
   * Which reverse proxies to believe about the client's address (TRUST_PROXY), as express's `trust proxy`: the
   * sign-in limits count per address. Default false (express's default): the socket's address.
   */
  readonly trustProxy?: number | string | boolean;
}

/** Builds the express app. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  // Secure headers. Pages are server-rendered with no scripts; QR codes are data: images. Many firms run Puente on a
  // local network over plain HTTP, so requests are not upgraded to HTTPS by the browser.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null, 'form-action': ["'self'"] } },
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res, next) => {
    deps.databaseOk().then((database) => {
      const channel = deps.channel();
      const ready = database && (channel.state === 'connected' || channel.state === 'none');
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not ready', database: database ? 'ok' : 'down', ...(deps.backend ? { backend: deps.backend } : {}), channel,
      });
    }, next);
  });
  for (const router of deps.routers ?? []) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // One error handler for everything: log the error, never send its stack.
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) deps.log.error({ err }, 'http error');
    res.status(status).json({ error: status === 500 ? 'internal error' : err.message });
  });
  return app;
}

/** A running HTTP server. */
export interface RunningHttp {
  readonly port: number;
  stop(): Promise<void>;
}

/** Listens on `port` (0 picks a free one). Rejects with the listen error (e.g. port in use). */
export function startHttp(app: express.Express, port: number, host: string): Promise<RunningHttp> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}
