/**
 * Named staff accounts and their sign-in: scrypt password hashes (node:crypto), server-side sessions that signing out
 * or removing an account ends everywhere, and the failed-attempt limits every way in shares (the sign-in page,
 * `POST /api/login`, `Authorization: Bearer`). Roles: `admin` manages accounts, `staff` does the rest.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SessionRecord, StaffAccount, StaffRole, Store } from '../store';
import type { Actor } from './context';
import { DeskError } from './errors';
import { SignInLimiter } from './sign-in-limit';

/** How long a session lasts. */
export const SESSION_HOURS = 12;
/** The account made from ADMIN_PASSWORD (or a generated password) when there is none. */
export const FIRST_ADMIN = 'admin';

const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches a hash made by {@link hashPassword}; false for anything malformed. */
async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random password for when ADMIN_PASSWORD is not set: 4 groups of 5 letters and digits, easy to type. */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** The hash under which a session token is stored (the token itself is only in the cookie). */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

/** Names people can read in the audit list: letters, digits, spaces, dots, hyphens and apostrophes, 1–40 characters. */
function checkName(name: unknown): string {
  const text = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
  if (!/^[\p{L}\p{N}][\p{L}\p{N} .'’-]{0,39}$/u.test(text)) {
    throw new DeskError(400, 'a name is 1 to 40 letters, digits, spaces, dots, hyphens or apostrophes', 'bad-name');
  }
  return text;
}

/** Passwords: 10 to 200 characters. */
function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < 10 || password.length > 200) {
    throw new DeskError(400, 'a password is 10 to 200 characters long', 'bad-password');
  }
  return password;
}

/** A new account's role: `staff` when not given. */
function checkRole(role: unknown): StaffRole {
  if (role === undefined) return 'staff';
  if (role !== 'staff' && role !== 'admin') throw new DeskError(400, '"role" is staff or admin', 'bad-role');
  return role;
}

/** A signed-in session: who, and the CSRF token its forms carry. */
export interface Session {
  readonly token: string;
  readonly actor: Actor;
  readonly csrf: string;
}

const toActor = (a: StaffAccount): Actor => ({ id: a.id, name: a.name, role: a.role });

/** Accounts, sessions and sign-in. */
export class StaffDesk {
  readonly limiter: SignInLimiter;

  constructor(private readonly store: Store, private readonly now: () => Date) {
    this.limiter = new SignInLimiter(store);
  }

  /**
   * At start: with no account at all, creates `admin` with `password` (from ADMIN_PASSWORD, or generated — the caller
   * shows it once). When `admin` exists and ADMIN_PASSWORD is set, ADMIN_PASSWORD stays its password (changing it
   * signs `admin` out everywhere); a generated password is given to `admin` at each start, as before accounts existed.
   * Returns whether `admin` now has `password`.
   */
  async ensureFirstAdmin(password: string): Promise<boolean> {
    const at = this.now().toISOString();
    const admin = await this.store.staffByName(FIRST_ADMIN);
    if (!admin) {
      if ((await this.store.staffAccounts()).length > 0) return false; // removed on purpose: the named accounts remain
      return (await this.store.addStaff({ name: FIRST_ADMIN, role: 'admin', passwordHash: await hashPassword(password), at })) !== undefined;
    }
    if (!(await verifyPassword(password, admin.passwordHash))) await this.store.setStaffPassword(admin.id, await hashPassword(password), at);
    return true;
  }

  /**
   * Checks a name and password against the limits: the account, or a {@link DeskError} (401 wrong, 429 too many
   * failures, with `retryAfter` seconds). Every failure counts against the address and the name.
   */
  async authenticate(name: string | undefined, password: unknown, address: string): Promise<StaffAccount> {
    const now = this.now();
    const account = name?.trim() || FIRST_ADMIN;
    const wait = await this.limiter.retryAfter(address, account, now);
    if (wait > 0) throw new DeskError(429, 'too many failed sign-ins; try again later', 'locked', Math.ceil(wait / 1000));
    const found = typeof password === 'string' && password.length > 0 && password.length <= 200 ? await this.store.staffByName(account) : undefined;
    // A missing account costs the same time as a wrong password (no way to tell which names exist).
    const ok = found ? await verifyPassword(password as string, found.passwordHash) : (await hashPassword('x'), false);
    if (!found || !ok) {
      await this.limiter.failed(address, account, now);
      throw new DeskError(401, 'that name and password do not match an account', 'wrong-password');
    }
    await this.limiter.succeeded(address);
    const { passwordHash: _hash, ...staff } = found;
    return staff;
  }

  /** Starts a session for a signed-in account; the token goes in the cookie, only its hash in the database. */
  async startSession(account: StaffAccount): Promise<Session> {
    const now = this.now();
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await this.store.createSession({ tokenHash: tokenHash(token), staffId: account.id, csrf, at: now.toISOString(), expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString() });
    return { token, actor: toActor(account), csrf };
  }

  /** The live session of a token, or undefined (unknown, expired, signed out, account removed). */
  async session(token: string | undefined): Promise<Session | undefined> {
    if (!token || token.length > 100) return undefined;
    const found: SessionRecord | undefined = await this.store.session(tokenHash(token), this.now());
    return found ? { token, actor: toActor(found.staff), csrf: found.csrf } : undefined;
  }

  /** Signs out: the session ends on every server. */
  async endSession(token: string): Promise<void> {
    await this.store.endSession(tokenHash(token));
  }

  list(): Promise<StaffAccount[]> {
    return this.store.staffAccounts();
  }

  /**
   * Adds an account (admins only from the desk; the command line may pass no actor). The role is `staff` or `admin`
   * (`staff` when not given); any other is a 400, checked first.
   */
  async add(actor: Actor | undefined, input: { name: unknown; password: unknown; role?: unknown }): Promise<StaffAccount> {
    const role = checkRole(input.role);
    if (actor && actor.role !== 'admin') throw new DeskError(403, 'only an admin can add staff accounts', 'not-admin');
    const name = checkName(input.name);
    const password = checkPassword(input.password);
    const at = this.now().toISOString();
    const added = await this.store.addStaff({ name, role, passwordHash: await hashPassword(password), at });
    if (!added) throw new DeskError(409, `there is already an account named ${name}`, 'name-taken');
    await this.store.addAudit({ actor: actor?.name ?? 'command line', action: 'staff.add', detail: `${added.name} (${added.role})`, at });
    return added;
  }

  /** Removes an account; it is signed out everywhere at once. An admin cannot remove the last admin. */
  async remove(actor: Actor | undefined, name: string): Promise<StaffAccount> {
    if (actor && actor.role !== 'admin') throw new DeskError(403, 'only an admin can remove staff accounts', 'not-admin');
    const accounts = await this.store.staffAccounts();
    const target = accounts.find((a) => a.name.toLowerCase() === name.trim().toLowerCase());
    if (!target) throw new DeskError(404, 'no such staff account', 'no-account');
    if (target.role === 'admin' && accounts.filter((a) => a.role === 'admin').length === 1) {
      throw new DeskError(409, 'this is the last admin account: add another admin first', 'last-admin');
    }
    const at = this.now().toISOString();
    await this.store.removeStaff(target.id, at);
    await this.store.addAudit({ actor: actor?.name ?? 'command line', action: 'staff.remove', detail: target.name, at });
    return target;
  }

  /** Changes one's own password (or, for the command line, anyone's); every session of the account ends. */
  async setPassword(actor: Actor | undefined, name: string, password: unknown): Promise<void> {
    const target = await this.store.staffByName(name);
    if (!target) throw new DeskError(404, 'no such staff account', 'no-account');
    if (actor && actor.id !== target.id) throw new DeskError(403, 'you can only change your own password', 'not-yours');
    const at = this.now().toISOString();
    await this.store.setStaffPassword(target.id, await hashPassword(checkPassword(password)), at);
    await this.store.addAudit({ actor: actor?.name ?? 'command line', action: 'staff.password', detail: target.name, at });
  }
}
