/**
 * Staff sign-in over HTTP, one implementation for the dashboard and the JSON API: named accounts, a random session
 * token in an HttpOnly SameSite=Strict cookie (only its hash is stored, so signing out or removing the account ends it
 * on every server), CSRF tokens kept with the session, and `Authorization: Bearer <name>:<password>` for scripts —
 * every way in counts failures against the same limits (per address and per account).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Desk } from '../../desk';
import { DeskError } from '../../desk';
import { FIRST_ADMIN, SESSION_HOURS, type Session } from '../../desk/staff';
import type { Actor } from '../../desk/context';
import type { Logger } from '../../log';
import { sameSecret } from '../../secrets';

const SESSION_COOKIE = 'puente_session';

/** One cookie from the request header. */
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** `Authorization: Bearer <name>:<password>`, or `Bearer <password>` for the `admin` account; undefined without the header. */
function bearerCredentials(req: Request): { name: string; password: string } | undefined {
  const header = req.get('authorization');
  const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  if (!m) return header ? { name: FIRST_ADMIN, password: '' } : undefined;
  const token = utf8(m[1].trim());
  const colon = token.indexOf(':');
  return colon > 0 ? { name: token.slice(0, colon), password: token.slice(colon + 1) } : { name: FIRST_ADMIN, password: token };
}

/**
 * Header values arrive as latin1; clients such as curl send a name like "Pérez" as UTF-8 bytes. Reads them as UTF-8
 * when they are valid UTF-8, as they are otherwise.
 */
function utf8(text: string): string {
  if (!/[\u0080-\u00ff]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  const decoded = Buffer.from(text, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? text : decoded;
}

/** The address a request came from: the client's, through a trusted proxy (TRUST_PROXY), else the socket's. */
const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Sessions, the guards of pages and API, and the one sign-in. */
export class Auth {
  constructor(private readonly desk: Desk, private readonly log: Logger, private readonly secureCookies: boolean) {}

  /** The session of a request's cookie, if it is live. */
  session(req: Request): Promise<Session | undefined> {
    return this.desk.staff.session(readCookie(req, SESSION_COOKIE));
  }

  /**
   * Signs in with a name and password (the sign-in page and `POST /api/login`): sets the cookie and returns the
   * session. Throws a {@link DeskError} 401 or 429 (with `retryAfter` seconds), and logs the failure without the name.
   */
  async signIn(req: Request, res: Response, name: unknown, password: unknown): Promise<Session> {
    try {
      const account = await this.desk.staff.authenticate(typeof name === 'string' ? name.slice(0, 80) : undefined, password, addressOf(req));
      const session = await this.desk.staff.startSession(account);
      this.setCookie(res, session.token);
      return session;
    } catch (err) {
      if (err instanceof DeskError) this.log.warn({ status: err.status }, 'staff sign-in refused');
      throw err;
    }
  }

  /** Ends the request's session everywhere and clears the cookie. */
  async signOut(req: Request, res: Response): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await this.desk.staff.endSession(token);
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
  }

  /** `Secure` when configured or the request came over HTTPS (directly, or through a proxy that says so). */
  private setCookie(res: Response, token: string): void {
    const https = this.secureCookies || res.req.secure || res.req.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}${https ? '; Secure' : ''}`);
  }

  /** Guards the JSON API: the bearer credentials (limited like sign-in), or a live session (with the CSRF header on changes). */
  api = (req: Request, res: Response, next: NextFunction): void => {
    void (async () => {
      const credentials = bearerCredentials(req);
      if (credentials) {
        const account = await this.desk.staff.authenticate(credentials.name, credentials.password, addressOf(req));
        res.locals.actor = { id: account.id, name: account.name, role: account.role } satisfies Actor;
        return next();
      }
      const session = await this.session(req);
      if (!session) throw new DeskError(401, 'sign in first (session cookie or Authorization: Bearer <name>:<password>)', 'signed-out');
      if (req.method !== 'GET' && req.method !== 'HEAD' && !sameSecret(String(req.get('x-csrf-token') ?? ''), session.csrf)) {
        throw new DeskError(403, 'missing or wrong X-CSRF-Token', 'csrf');
      }
      res.locals.actor = session.actor;
      res.locals.session = session;
      next();
    })().catch(next);
  };

  /** Guards dashboard pages: signed in, or sent to the sign-in page; forms must carry the CSRF token. */
  pages = (req: Request, res: Response, next: NextFunction): void => {
    void (async () => {
      const session = await this.session(req);
      if (!session) {
        res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl.slice(0, 200))}`);
        return;
      }
      if (req.method === 'POST') {
        const token = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>)._csrf : undefined;
        if (typeof token !== 'string' || !sameSecret(token, session.csrf)) {
          res.status(403).type('text/plain').set('Cache-Control', 'no-store').send('This form has expired. Go back, reload the page and try again.');
          return;
        }
      }
      res.locals.actor = session.actor;
      res.locals.session = session;
      res.locals.csrf = session.csrf;
      next();
    })().catch(next);
  };
}

/** The signed-in staff member of a request that passed a guard. */
export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
