/**
 * The staff side: the dashboard pages under /admin and the JSON API under /api, over one {@link Desk}.
 */
import { createHmac } from 'node:crypto';
import type express from 'express';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import { apiRouter } from './api';
import { Auth, loadSecret, randomPassword } from './auth';
import { Desk, type DeskDeps } from './desk';
import { pagesRouter } from './pages';

/** What the staff side needs from the running process: the desk's dependencies (its time zone comes from config). */
export interface AdminDeps extends Omit<DeskDeps, 'timezone'> {
  readonly config: Config;
  readonly log: Logger;
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
  const desk = new Desk({ ...deps, timezone: config.timezone });
  // Cookies get `Secure` whenever the request arrived over HTTPS (see Auth.setCookie); plain HTTP on a LAN still works.
  const secureCookies = false;
  return {
    desk,
    generatedPassword,
    routers: [pagesRouter({ desk, auth, log, secureCookies, firmName: config.firm.name }), apiRouter({ desk, auth, log, secureCookies })],
  };
}
