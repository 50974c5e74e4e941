/**
 * The staff side: the dashboard pages under /admin, the JSON API under /api and the calendar feed at its secret
 * address, over one {@link Desk}.
 */
import express from 'express';
import type { Config } from '../../config';
import { Desk, type DeskDeps } from '../../desk';
import { randomPassword } from '../../desk/staff';
import type { Logger } from '../../log';
import { apiRouter, route } from './api';
import { Auth } from './auth';
import { pagesRouter } from './pages';

/** What the staff side needs from the running process: the desk's dependencies (its settings come from config). */
export interface AdminDeps extends Omit<DeskDeps, 'settings'> {
  readonly config: Config;
  readonly log: Logger;
}

/** The routers of the staff side, and the desk behind them. */
export interface Admin {
  readonly routers: readonly express.Router[];
  readonly desk: Desk;
  /** The password generated for `admin` this run when ADMIN_PASSWORD is not set (to show once, never to log). */
  readonly generatedPassword?: string;
}

/** The calendar feed at its secret address (no session: calendar apps cannot sign in; the address is the secret). */
function calendarRouter(desk: Desk): express.Router {
  const router = express.Router();
  router.get('/calendar/:file', route(async (req, res) => {
    const m = /^([\w-]{10,100})\.ics$/.exec(String(req.params.file));
    if (!m || !(await desk.calendar.isSecret(m[1]))) {
      res.status(404).set('Cache-Control', 'no-store').json({ error: 'not found' });
      return;
    }
    res.set('Cache-Control', 'no-store').type('text/calendar; charset=utf-8').send(await desk.calendar.feed());
  }));
  return router;
}

/**
 * Builds the staff side. The first account, `admin`, gets ADMIN_PASSWORD (or a password generated for this run, which
 * the caller shows once) — see {@link StaffDesk.ensureFirstAdmin}.
 */
export async function createAdmin(deps: AdminDeps): Promise<Admin> {
  const { config, log } = deps;
  const desk = new Desk({
    ...deps,
    settings: {
      timezone: config.timezone, hours: config.hours, consultationMinutes: config.consultationMinutes, bookingLeadHours: config.bookingLeadHours,
      firmName: config.firm.name, address: config.firm.address, phone: config.firm.phone,
    },
  });
  const candidate = config.adminPassword ?? randomPassword();
  const adminHasIt = await desk.staff.ensureFirstAdmin(candidate);
  const generatedPassword = !config.adminPassword && adminHasIt ? candidate : undefined;
  // Cookies get `Secure` whenever the request arrived over HTTPS (see Auth); plain HTTP on a LAN still works.
  const auth = new Auth(desk, log, false);
  return {
    desk,
    generatedPassword,
    routers: [calendarRouter(desk), pagesRouter({ desk, auth, log, firmName: config.firm.name }), apiRouter({ desk, auth, log })],
  };
}
