/**
 * The sign-in limits (issue 12): per address and per account, shared through the database, and a locked address stays
 * locked however many other addresses fail meanwhile (no table that resets after 10,001 entries).
 */
import { join } from 'node:path';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, SignInLimiter, waitFor } from '../../src/desk/sign-in-limit';
import { SqliteStore } from '../../src/storage/sqlite/store';
import { tempDir } from '../helpers';

const at = new Date('2026-11-30T15:00:00Z');
const MINUTE = 60_000;

it.each([
  [[], 0], [[0, 1, 2, 3], 0], [[0, 1, 2, 3, 4], 15 * MINUTE - 5 * MINUTE], [[0, 1, 2, 3, 4, 6], 15 * MINUTE - 5 * MINUTE + MINUTE],
])('waitFor(%j minutes ago…) → %i ms', (minutesAgo, wait) => {
  const now = 5 * MINUTE;
  const times = (minutesAgo as number[]).map((m) => m * MINUTE);
  expect(waitFor(times, ADDRESS_LIMIT, now)).toBe(wait);
});

it('a locked address stays locked while 12,000 other addresses fail; an account locks across addresses; one success frees only its address', async () => {
  const tmp = tempDir();
  const store = SqliteStore.open(join(tmp.dir, 'puente.db'));
  const limiter = new SignInLimiter(store);
  try {
    for (let i = 0; i < ADDRESS_LIMIT.max; i++) await limiter.failed('203.0.113.7', undefined, new Date(at.getTime() + i * 1000));
    expect(await limiter.retryAfter('203.0.113.7', undefined, at)).toBe(15 * MINUTE);
    const others = Array.from({ length: 12_000 }, (_, i) => `address:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    await store.recordSignInFailure(others, new Date(at.getTime() + MINUTE), new Date(at.getTime() - 15 * MINUTE));
    expect(await limiter.retryAfter('203.0.113.7', undefined, new Date(at.getTime() + 2 * MINUTE))).toBe(13 * MINUTE);
    expect(await limiter.retryAfter('203.0.113.8', undefined, new Date(at.getTime() + 2 * MINUTE))).toBe(0);

    for (let i = 0; i < ACCOUNT_LIMIT.max; i++) await limiter.failed(`192.0.2.${i}`, 'Ana', at);
    expect(await limiter.retryAfter('198.51.100.1', 'ana', at)).toBe(15 * MINUTE);
    expect(await limiter.retryAfter('198.51.100.1', 'Luis', at)).toBe(0);
    await limiter.succeeded('192.0.2.1');
    expect(await limiter.retryAfter('198.51.100.1', 'ana', at)).toBe(15 * MINUTE);
    // Once they no longer count, failures are forgotten.
    expect(await limiter.retryAfter('203.0.113.7', 'ana', new Date(at.getTime() + 16 * MINUTE))).toBe(0);
  } finally {
    await store.close();
    tmp.remove();
  }
});
