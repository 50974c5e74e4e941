/**
 * Staff sign-in: one password (ADMIN_PASSWORD), a signed session cookie (HttpOnly, SameSite=Strict), login attempts
 * limited per address, CSRF tokens for forms, and `Authorization: Bearer <password>` for scripts using the JSON API.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

export const SESSION_COOKIE = 'puente_session';
const SESSION_HOURS = 12;

/** Equal in constant time, whatever the lengths (both sides are hashed first). */
export function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The secret that signs cookies, kept in DATA_DIR so sessions survive a restart (created on first start, mode 0600). */
export function loadSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** A random password for when ADMIN_PASSWORD is not set: 4 groups of 5 letters and digits, easy to type. */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** Per-address limit on failed sign-ins. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly max = 5, private readonly windowMs = 15 * 60_000, private readonly now: () => number = Date.now) {}

  /** Milliseconds until this address may try again (0 = now). */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    return recent.length >= this.max ? recent[0] + this.windowMs - this.now() : 0;
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.failures.clear();
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    return (this.failures.get(address) ?? []).filter((t) => this.now() - t < this.windowMs);
  }
}

/** Sessions, CSRF tokens and the guards. */
export class Auth {
  readonly limiter: LoginLimiter;

  constructor(private readonly password: string, private readonly secret: Buffer, private readonly now: () => number = Date.now) {
    this.limiter = new LoginLimiter(5, 15 * 60_000, now);
  }

  checkPassword(given: unknown): boolean {
    return typeof given === 'string' && given.length > 0 && given.length <= 200 && sameText(given, this.password);
  }

  /** A new session value: `expiry.nonce.signature`. */
  newSession(): string {
    const body = `${this.now() + SESSION_HOURS * 3_600_000}.${randomBytes(12).toString('hex')}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The session of a request, when its cookie is valid and not expired. */
  session(req: Request): string | undefined {
    const value = readCookie(req, SESSION_COOKIE);
    if (!value) return undefined;
    const dot = value.lastIndexOf('.');
    const body = value.slice(0, dot);
    if (dot <= 0 || !sameText(value.slice(dot + 1), this.sign(body))) return undefined;
    return Number(body.split('.')[0]) > this.now() ? value : undefined;
  }

  /** The CSRF token that goes with a session (a form must send it back). */
  csrf(session: string): string {
    return this.sign(`csrf:${session}`);
  }

  /** True for `Authorization: Bearer <ADMIN_PASSWORD>`. */
  bearer(req: Request): boolean {
    const header = req.get('authorization');
    const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    return m !== null && this.checkPassword(m[1].trim());
  }

  /**
   * Sets the session cookie; `Secure` when `secure` is set or the request came over HTTPS (directly, or through a proxy
   * that says so: a forged header could only make the forger's own cookie stricter).
   */
  setCookie(res: Response, session: string, secure: boolean): void {
    const https = secure || res.req.secure || res.req.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}${https ? '; Secure' : ''}`);
  }

  clearCookie(res: Response): void {
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
  }

  /** Guards the JSON API: a valid session cookie (plus the CSRF header on changes) or the bearer password. */
  api = (req: Request, res: Response, next: NextFunction): void => {
    if (this.bearer(req)) return next();
    const session = this.session(req);
    if (!session) {
      res.status(401).json({ error: 'sign in first (session cookie or Authorization: Bearer)' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameText(String(req.get('x-csrf-token') ?? ''), this.csrf(session))) {
      res.status(403).json({ error: 'missing or wrong X-CSRF-Token' });
      return;
    }
    res.locals.session = session;
    next();
  };

  /** Guards dashboard pages: signed in, or sent to the sign-in page; forms must carry the CSRF token. */
  pages = (req: Request, res: Response, next: NextFunction): void => {
    const session = this.session(req);
    if (!session) {
      res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl.slice(0, 200))}`);
      return;
    }
    if (req.method === 'POST') {
      const token = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>)._csrf : undefined;
      if (typeof token !== 'string' || !sameText(token, this.csrf(session))) {
        res.status(403).type('text/plain').send('This form has expired. Go back, reload the page and try again.');
        return;
      }
    }
    res.locals.session = session;
    res.locals.csrf = this.csrf(session);
    next();
  };

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }
}

/** One cookie from the request header. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
