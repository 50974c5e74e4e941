/**
 * The staff side: the dashboard pages under /admin and the JSON API under /api, over one {@link Desk}.
 */
import { createHmac } from 'node:crypto';
import type express from 'express';
import type { Config } from '../../config';
import type { ExplainerLibrary } from '../../content/explainers';
import type { Logger } from '../../log';
import type { Store } from '../../storage/types';
import type { Clock, TurnRunner } from '../../turn';
import type { ChannelStatus } from '../server';
import { apiRouter } from './api';
import { Auth, loadSecret, randomPassword } from './auth';
import { Desk } from './desk';
import { pagesRouter } from './pages';

/** What the staff side needs from the running process. */
export interface AdminDeps {
  readonly config: Config;
  readonly store: Store;
  readonly runner: Pick<TurnRunner, 'sendToClient'>;
  readonly library: ExplainerLibrary;
  readonly clock: Clock;
  readonly log: Logger;
  readonly channel: () => ChannelStatus;
  readonly qr: () => string | undefined;
}

/** The routers of the staff side, and the desk behind them. */
export interface Admin {
  readonly routers: readonly express.Router[];
  readonly desk: Desk;
  /** The password generated for this run when ADMIN_PASSWORD is not set (to show once, never to log). */
  readonly generatedPassword?: string;
}

/**
 * Builds the staff side. Without ADMIN_PASSWORD a random password is generated (the caller shows it once). The
 * cookie key mixes a secret kept in DATA_DIR with the password, so changing the password signs everyone out.
 */
export function createAdmin(deps: AdminDeps): Admin {
  const { config, log } = deps;
  const generatedPassword = config.adminPassword ? undefined : randomPassword();
  const password = config.adminPassword ?? generatedPassword!;
  const key = createHmac('sha256', loadSecret(config.dataDir)).update(password).digest();
  const auth = new Auth(password, key, () => deps.clock.now().getTime());
  const desk = new Desk({ store: deps.store, runner: deps.runner, library: deps.library, timezone: config.timezone, clock: deps.clock, channel: deps.channel, qr: deps.qr });
  // Cookies get `Secure` whenever the request arrived over HTTPS (see Auth.setCookie); plain HTTP on a LAN still works.
  const secureCookies = false;
  return {
    desk,
    generatedPassword,
    routers: [pagesRouter({ desk, auth, log, secureCookies, firmName: config.firm.name }), apiRouter({ desk, auth, log, secureCookies })],
  };
}
