/**
 * What a staff request can get wrong, as one typed error the HTTP side maps to a 4xx status with the message (never a
 * stack trace). `reason` is a stable code for scripts (`not-open`, `needs-time`, `window-closed`…); `retryAfter` is the
 * seconds to wait before trying again (429).
 */
export class DeskError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409 | 429, message: string, readonly reason?: string, readonly retryAfter?: number) {
    super(message);
  }
}

/** "2026-12-01" → its parts; throws a 400 for anything else, including days that do not exist (2026-02-31). */
export function parseDay(text: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
  const real = parts && new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (!parts || !real || real.getUTCFullYear() !== parts.year || real.getUTCMonth() !== parts.month - 1 || real.getUTCDate() !== parts.day) {
    throw new DeskError(400, `"${text.slice(0, 20)}" is not a date: dates are written YYYY-MM-DD and must exist`, 'bad-date');
  }
  return parts;
}

/** YYYY-MM-DD of date parts. */
export function dayText(p: { year: number; month: number; day: number }): string {
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
