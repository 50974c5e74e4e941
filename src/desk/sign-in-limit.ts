/**
 * Failed sign-ins (the page, `POST /api/login` and `Authorization: Bearer` alike): at most 5 per 15 minutes from one
 * address and 10 per 15 minutes on one account name, whatever address they come from (behind a proxy every
 * colleague may share one address). The failures live in the database, so every server counts the same ones, and a
 * failure is forgotten only once it no longer counts: a locked address or account stays locked however many others
 * fail meanwhile.
 */
import type { Store } from '../store';

/** One limit: at most `max` failures in `windowMs`. */
export interface Limit {
  readonly max: number;
  readonly windowMs: number;
}

export const ADDRESS_LIMIT: Limit = { max: 5, windowMs: 15 * 60_000 };
export const ACCOUNT_LIMIT: Limit = { max: 10, windowMs: 15 * 60_000 };

const addressKey = (address: string) => `address:${address}`;
const accountKey = (name: string) => `account:${name.trim().toLowerCase().slice(0, 80)}`;

/** Milliseconds until a key with these failure times (oldest first) may try again: 0 when it may now. */
export function waitFor(times: readonly number[], limit: Limit, now: number): number {
  const recent = times.filter((t) => now - t < limit.windowMs);
  if (recent.length < limit.max) return 0;
  // Locked until enough of the failures have aged out of the window.
  return Math.max(0, recent[recent.length - limit.max] + limit.windowMs - now);
}

/** The sign-in limits, shared by every server through the store. */
export class SignInLimiter {
  constructor(private readonly store: Store, private readonly limits = { address: ADDRESS_LIMIT, account: ACCOUNT_LIMIT }) {}

  /** How long this address (and account name, when given) must wait before trying again; 0 = now. */
  async retryAfter(address: string, name: string | undefined, now: Date): Promise<number> {
    const keys = [addressKey(address), ...(name ? [accountKey(name)] : [])];
    const since = new Date(now.getTime() - Math.max(this.limits.address.windowMs, this.limits.account.windowMs));
    const failures = await this.store.signInFailures(keys, since);
    const times = (key: string) => failures.filter((f) => f.key === key).map((f) => Date.parse(f.at)).sort((a, b) => a - b);
    const byAddress = waitFor(times(keys[0]), this.limits.address, now.getTime());
    const byAccount = name ? waitFor(times(keys[1]), this.limits.account, now.getTime()) : 0;
    return Math.max(byAddress, byAccount);
  }

  async failed(address: string, name: string | undefined, now: Date): Promise<void> {
    const keys = [addressKey(address), ...(name ? [accountKey(name)] : [])];
    const window = Math.max(this.limits.address.windowMs, this.limits.account.windowMs);
    await this.store.recordSignInFailure(keys, now, new Date(now.getTime() - window));
  }

  /** A successful sign-in clears its address (the account's failures age out: they may come from someone else). */
  async succeeded(address: string): Promise<void> {
    await this.store.clearSignInFailures([addressKey(address)]);
  }
}
