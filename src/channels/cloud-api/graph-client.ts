/**
 * Sending text through the Graph API (`POST {base}/{phone-number-id}/messages`), with retries for what a retry can
 * fix (network errors, 5xx, rate limits) and none for the rest. Errors and logs carry Graph codes, never the text or
 * the full number.
 */
import { maskChat, messageRef, type Logger } from '../../log';

/** The longest text body WhatsApp accepts in one message. */
export const TEXT_LIMIT = 4096;

/** Default waits between attempts; after the last, the send is given up (the reply stays in the outbox). */
export const SEND_RETRY_DELAYS_MS: readonly number[] = [1000, 4000, 15000];

/** Graph error codes that mean "too much, too fast" or "try again": worth a retry after a wait. */
const RETRYABLE_CODES = new Set([
  1, // unknown API error (Meta: retry)
  2, // service temporarily unavailable
  4, // application request limit
  80007, // WhatsApp Business Account rate limit
  130429, // Cloud API throughput reached
  131000, // something went wrong (Meta: retry)
  131016, // service unavailable
  131056, // (business, consumer) pair rate limit
]);

/** The access token was rejected: no retry helps until someone changes CLOUD_API_TOKEN. */
export const AUTH_ERROR_CODE = 190;

/** A failed send, described by Meta's codes. The message holds codes only (it is logged by the turn runner). */
export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number | undefined,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    readonly fbtraceId: string | undefined,
    readonly retryable: boolean,
    cause?: string,
  ) {
    super(
      httpStatus === undefined
        ? `Cloud API unreachable${cause ? ` (${cause})` : ''}`
        : `Cloud API send failed: HTTP ${httpStatus}${code !== undefined ? `, Graph error ${code}` : ''}${subcode !== undefined ? `/${subcode}` : ''}${fbtraceId ? `, fbtrace_id ${fbtraceId}` : ''}`,
    );
    this.name = 'GraphApiError';
  }

  /** Log fields: codes and trace id only. */
  fields(): Record<string, unknown> {
    return { httpStatus: this.httpStatus, code: this.code, subcode: this.subcode, fbtraceId: this.fbtraceId };
  }
}


/** What the client needs. */
export interface GraphClientOptions {
  readonly baseUrl: string;
  readonly phoneNumberId: string;
  readonly token: string;
  readonly log: Logger;
  readonly fetch: typeof fetch;
  readonly retryDelaysMs: readonly number[];
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Called after every accepted send, and after a send refused with {@link AUTH_ERROR_CODE}. */
  readonly onResult?: (error: GraphApiError | undefined) => void;
}

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Sends text messages through the Graph API. */
export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  /**
   * Sends one text (at most {@link TEXT_LIMIT} characters) to `to` (phone digits). Resolves with Meta's message id
   * (or undefined when the answer had none). Retries retryable failures; rejects with {@link GraphApiError}.
   */
  async sendText(to: string, body: string): Promise<string | undefined> {
    const { log, retryDelaysMs } = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        const id = await this.attempt(to, body);
        this.options.onResult?.(undefined);
        log.debug({ chat: maskChat(to), message: id ? messageRef(id) : undefined, attempt: attempt + 1 }, 'cloud api message accepted');
        return id;
      } catch (err) {
        if (!(err instanceof GraphApiError)) throw err;
        if (err.code === AUTH_ERROR_CODE) this.options.onResult?.(err);
        const delay = err.retryable ? retryDelaysMs[attempt] : undefined;
        const fields = { chat: maskChat(to), attempt: attempt + 1, ...err.fields() };
        if (delay === undefined) {
          log.warn({ ...fields, retryable: err.retryable }, 'cloud api send failed; giving up');
          throw err;
        }
        log.warn({ ...fields, retryInMs: delay }, 'cloud api send failed; retrying');
        await wait(delay);
      }
    }
  }

  private async attempt(to: string, body: string): Promise<string | undefined> {
    const { baseUrl, phoneNumberId, token, timeoutMs = 20_000 } = this.options;
    let response: Response;
    try {
      response = await this.options.fetch(`${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(phoneNumberId)}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body, preview_url: false } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new GraphApiError(undefined, undefined, undefined, undefined, true, networkCause(err));
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.ok) return messageId(answer);
    const { code, subcode, fbtraceId } = graphErrorOf(answer);
    throw new GraphApiError(response.status, code, subcode, fbtraceId, isRetryable(response.status, code));
  }
}

/** The codes of a Graph error answer (`{"error":{"code",…}}`); empty when the answer is not one. */
export function graphErrorOf(answer: unknown): { code?: number; subcode?: number; fbtraceId?: string } {
  const error = isObj(answer) && isObj(answer.error) ? answer.error : {};
  return { code: int(error.code), subcode: int(error.error_subcode), fbtraceId: typeof error.fbtrace_id === 'string' ? error.fbtrace_id.slice(0, 64) : undefined };
}

/** Whether a failed Graph request is worth trying again: 5xx, 429, or a Graph code that means "later". */
export function isRetryable(httpStatus: number, code: number | undefined): boolean {
  return httpStatus >= 500 || httpStatus === 429 || (code !== undefined && RETRYABLE_CODES.has(code));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function int(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function messageId(answer: unknown): string | undefined {
  const first = isObj(answer) && Array.isArray(answer.messages) ? answer.messages[0] : undefined;
  return isObj(first) && typeof first.id === 'string' ? first.id : undefined;
}

/** "ECONNREFUSED", "TimeoutError"…: the kind of network failure, without URLs or payloads. */
export function networkCause(err: unknown): string {
  const cause = isObj(err) && isObj(err.cause) ? err.cause : undefined;
  const code = cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ?? (err instanceof Error ? err.name : 'network error');
}
