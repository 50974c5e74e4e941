/**
 * Downloading what a client sent through the Cloud API, as Meta documents it: `GET {base}/{media-id}` with the bearer
 * token answers the file's temporary URL, type and size; `GET {url}` with the same token answers the bytes.
 *
 * A type not in {@link MEDIA_TYPES} or a size over the limit is refused before anything is downloaded (from the
 * webhook's `mime_type`, then from Meta's `mime_type` and `file_size`), and a download that runs past the limit is cut
 * off. Network errors, 5xx and rate limits are tried again while the caller's deadline allows. Outcomes are values,
 * never exceptions. Logs carry the message reference, Graph codes and sizes — never the URL, the token or the media id.
 */
import { baseType, mediaVerdict, refusalLogLevel, type MediaRefusal, type MediaResult } from '../../media';
import { messageRef, type Logger } from '../../log';
import { AUTH_ERROR_CODE, graphErrorOf, isRetryable, networkCause } from './graph-client';
import type { MediaRef } from './payload';

/** Waits between attempts at one file (the whole download must fit in the webhook's deadline). */
export const MEDIA_RETRY_DELAYS_MS: readonly number[] = [250, 1_000];
/** Files downloaded at once by this process; the others wait their turn (bounds memory: each is held whole). */
export const MEDIA_CONCURRENCY = 4;

/** What the downloader needs. */
export interface MediaDownloaderOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Larger files are refused (Config.mediaMaxBytes). */
  readonly maxBytes: number;
  readonly log: Logger;
  readonly fetch: typeof fetch;
  readonly retryDelaysMs?: readonly number[];
  readonly concurrency?: number;
  /** Told whether Meta accepted the token (false after a Graph error {@link AUTH_ERROR_CODE}). */
  readonly onToken?: (accepted: boolean) => void;
}

/** A failed attempt; `fields` are safe to log (statuses and codes). */
class AttemptFailed extends Error {
  constructor(readonly retryable: boolean, readonly fields: Readonly<Record<string, unknown>>) {
    super('media download failed');
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** Meta sends `file_size` as a number or a string of digits. */
const size = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** Answers that are a page or an error, not the file asked for. */
const NOT_A_FILE = new Set(['text/html', 'application/json']);

/** Downloads clients' files from the Graph API, a few at a time. */
export class MediaDownloader {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly base: URL;
  /** The Graph API's address without a trailing slash, before `/{media-id}`. */
  private readonly graphUrl: string;

  constructor(private readonly options: MediaDownloaderOptions) {
    this.base = new URL(options.baseUrl);
    this.graphUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Downloads the file of message `messageId` before `deadline` aborts. Resolves with the attachment, or with why there
   * is none (refused, unavailable after the retries, or out of time). Never rejects.
   */
  async download(ref: MediaRef, messageId: string, deadline: AbortSignal): Promise<MediaResult> {
    const message = messageRef(messageId);
    if (ref.mimeType) {
      const verdict = mediaVerdict(ref.mimeType, 0, this.options.maxBytes);
      if (verdict !== 'ok') return this.notKept(message, verdict, { type: ref.mimeType });
    }
    if (!(await this.slot(deadline))) return this.notKept(message, 'timeout', {});
    try {
      const delays = this.options.retryDelaysMs ?? MEDIA_RETRY_DELAYS_MS;
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await this.attempt(ref, deadline, message);
          if (result.ok) this.options.log.debug({ message, type: result.attachment.mimeType, bytes: result.attachment.data.length, attempt }, 'cloud api media downloaded');
          return result;
        } catch (err) {
          if (deadline.aborted) return this.notKept(message, 'timeout', { attempt });
          const failure = err instanceof AttemptFailed ? err : new AttemptFailed(false, { cause: networkCause(err) });
          const delay = failure.retryable ? delays[attempt - 1] : undefined;
          if (delay === undefined) return this.notKept(message, 'unavailable', { attempt, ...failure.fields });
          this.options.log.debug({ message, attempt, retryInMs: delay, ...failure.fields }, 'cloud api media download failed; retrying');
          if (!(await pause(delay, deadline))) return this.notKept(message, 'timeout', { attempt });
        }
      }
    } finally {
      this.release();
    }
  }

  /** One try: the file's URL and facts from the Graph API, then the bytes, within the limits. Throws {@link AttemptFailed}. */
  private async attempt(ref: MediaRef, deadline: AbortSignal, message: string): Promise<MediaResult> {
    const { maxBytes, token } = this.options;
    const about = await this.json(`${this.graphUrl}/${encodeURIComponent(ref.mediaId)}`, deadline);
    const url = str(about.url);
    const mimeType = str(about.mime_type) ?? ref.mimeType;
    const declared = size(about.file_size);
    if (!url || !mimeType) throw new AttemptFailed(false, { cause: 'no url or type in the media answer' });
    const verdict = mediaVerdict(mimeType, declared ?? 0, maxBytes);
    if (verdict !== 'ok') return this.notKept(message, verdict, { type: baseType(mimeType), bytes: declared });
    const target = this.checkedUrl(url);

    // Our own abort as well as the deadline's: it closes the connection when the file runs past the limit.
    const stop = new AbortController();
    let response: Response;
    try {
      response = await this.options.fetch(target, {
        headers: { authorization: `Bearer ${token}`, 'user-agent': 'puente' },
        signal: AbortSignal.any([deadline, stop.signal]),
      });
    } catch (err) {
      throw new AttemptFailed(true, { step: 'file', cause: networkCause(err) });
    }
    try {
      if (!response.ok) throw new AttemptFailed(isRetryable(response.status, undefined), { step: 'file', httpStatus: response.status });
      const served = baseType(response.headers.get('content-type') ?? '');
      if (NOT_A_FILE.has(served) && !NOT_A_FILE.has(baseType(mimeType))) throw new AttemptFailed(true, { step: 'file', cause: `answered ${served}` });
      const length = size(response.headers.get('content-length'));
      if (length !== undefined && length > maxBytes) return this.notKept(message, 'too-large', { type: baseType(mimeType), bytes: length });
      const data = await readAtMost(response, maxBytes);
      if (!data) return this.notKept(message, 'too-large', { type: baseType(mimeType), cutOff: true });
      if (declared !== undefined && data.length !== declared) throw new AttemptFailed(true, { step: 'file', cause: 'size differs from file_size', bytes: data.length });
      return { ok: true, attachment: { mimeType: baseType(mimeType), data, ...(ref.filename ? { filename: ref.filename } : {}) } };
    } catch (err) {
      if (err instanceof AttemptFailed) throw err;
      throw new AttemptFailed(true, { step: 'file', cause: networkCause(err) });
    } finally {
      stop.abort(); // nothing more to read (a no-op once the body was read whole)
    }
  }

  /** GET with the token, answered JSON object. Throws {@link AttemptFailed}. */
  private async json(url: string, deadline: AbortSignal): Promise<Obj> {
    let response: Response;
    try {
      response = await this.options.fetch(url, { headers: { authorization: `Bearer ${this.options.token}` }, signal: deadline });
    } catch (err) {
      throw new AttemptFailed(true, { step: 'media url', cause: networkCause(err) });
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const { code, subcode, fbtraceId } = graphErrorOf(answer);
      if (code === AUTH_ERROR_CODE) this.options.onToken?.(false);
      throw new AttemptFailed(isRetryable(response.status, code), { step: 'media url', httpStatus: response.status, code, subcode, fbtraceId });
    }
    this.options.onToken?.(true);
    if (!isObj(answer)) throw new AttemptFailed(true, { step: 'media url', cause: 'answer is not JSON' });
    return answer;
  }

  /** The file's URL, when the token may go there: http(s), and https whenever the Graph API itself is https. */
  private checkedUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new AttemptFailed(false, { cause: 'media url is not a URL' });
    }
    const allowed = this.base.protocol === 'https:' ? ['https:'] : ['https:', 'http:'];
    if (!allowed.includes(parsed.protocol)) throw new AttemptFailed(false, { cause: `media url is ${parsed.protocol.replace(':', '')}` });
    return parsed.href;
  }

  private notKept(message: string, reason: MediaRefusal, fields: Readonly<Record<string, unknown>>): MediaResult {
    this.options.log[refusalLogLevel(reason)]({ message, reason, maxBytes: this.options.maxBytes, ...fields }, 'cloud api media not kept');
    return { ok: false, reason };
  }

  /** Waits for a download slot; false when the deadline came first. */
  private async slot(deadline: AbortSignal): Promise<boolean> {
    if (deadline.aborted) return false;
    if (this.active < (this.options.concurrency ?? MEDIA_CONCURRENCY)) {
      this.active++;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const take = () => {
        deadline.removeEventListener('abort', giveUp);
        this.active++;
        resolve(true);
      };
      const giveUp = () => {
        const i = this.waiting.indexOf(take);
        if (i !== -1) this.waiting.splice(i, 1);
        resolve(false);
      };
      this.waiting.push(take);
      deadline.addEventListener('abort', giveUp, { once: true });
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

/** The whole body, or undefined as soon as it runs past `max` bytes (the rest is never read). */
async function readAtMost(response: Response, max: number): Promise<Buffer | undefined> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

/** Waits `ms`; false when `signal` aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}
