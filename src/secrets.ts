/** Comparing secrets (tokens, passwords in a URL, CSRF tokens) without telling an attacker how much of a guess was right. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Equal strings, compared in constant time whatever their lengths (both are hashed to the same length first). Two
 * empty strings are equal: a caller whose secret may be empty refuses that itself.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
