/**
 * The one error mapping of the staff side: what the caller got wrong becomes a 4xx with a message a person can act
 * on; anything else is a 500 that says nothing more (and is logged). The pages and the API render it their way.
 */
import { DeskError } from '../../desk';

/** An error as staff see it. */
export interface Described {
  readonly status: number;
  readonly message: string;
  readonly reason?: string;
  /** Seconds to wait (429). */
  readonly retryAfter?: number;
}

export function describeError(err: unknown): Described {
  if (err instanceof DeskError) return { status: err.status, message: err.message, reason: err.reason, ...(err.retryAfter ? { retryAfter: err.retryAfter } : {}) };
  const e = err as { status?: number; type?: string };
  if (e?.type === 'entity.too.large') return { status: 413, message: 'the body is too large (16 KB at most)', reason: 'too-large' };
  if (e?.status && e.status >= 400 && e.status < 500) return { status: e.status, message: 'the body could not be read: send valid JSON or a form', reason: 'bad-body' };
  return { status: 500, message: 'internal error' };
}
