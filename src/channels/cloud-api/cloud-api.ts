/**
 * The WhatsApp Cloud API channel (SPEC §7): Meta's webhook in (verify handshake, signed POSTs), replies and staff
 * notifications out through the Graph API. Payload mapping lives in `payload.ts`, sending in `graph-client.ts`,
 * downloading what clients send in `media-download.ts`.
 *
 * Voice notes, photos and files are downloaded before the webhook is acknowledged, so the message handed to `accept`
 * already carries its `attachment` and is stored whole, in one step. Meta waits about 20 s for the 200, so downloads
 * share a deadline of {@link MEDIA_DEADLINE_MS}; a file refused (type, size) or not downloaded in time is left out and
 * the message is accepted without it (its `mediaId` and `mimeType` are kept). A chat's webhooks are accepted in the
 * order they arrived, so a text sent after a photo is not stored before it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../../config';
import type { InboundMessage } from '../../dialogue/types';
import { systemClock, type Clock } from '../../clock';
import { maskChat, messageRef, type Logger } from '../../log';
import { sameSecret } from '../../secrets';
import type { ChannelStatus, Notifier, Outbound } from '../channel';
import { ArrivalOrder } from '../arrival-order';
import { PartProgress, splitMessage } from '../parts';
import { AUTH_ERROR_CODE, GraphClient, SEND_RETRY_DELAYS_MS, TEXT_LIMIT, type GraphApiError } from './graph-client';
import { MediaDownloader } from './media-download';
import { readWebhook, type DeliveryStatus, type WebhookEvents } from './payload';

export { toInboundMessage, toDeliveryStatus, type DeliveryStatus } from './payload';
export { TEXT_LIMIT, GraphApiError } from './graph-client';

/** Splits a reply into Cloud API messages of at most 4,096 characters (on paragraphs, then lines, then words). */
export const splitText = (text: string, max = TEXT_LIMIT): string[] => splitMessage(text, max);

/** Where Meta calls us. */
export const WEBHOOK_PATH = '/webhooks/whatsapp';
/** Meta's webhook bodies are a few KB; anything much larger is not from Meta. */
const BODY_LIMIT = '1mb';
/**
 * How long a webhook's files may take to download before the webhook is acknowledged without them: well inside the
 * ~20 s Meta waits for an answer, with room left to store the messages.
 */
export const MEDIA_DEADLINE_MS = 10_000;

/** Validated settings for the channel (from `Config.cloudApi`). */
export interface CloudApiSettings {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  baseUrl: string;
}

/** Problems with the settings for TRANSPORT=cloud-api, one line each naming the variable; [] when fine. */
export function cloudApiProblems(c: Config['cloudApi']): string[] {
  const problems: string[] = [];
  const missing = (name: string, what: string) => problems.push(`${name} is required when TRANSPORT=cloud-api (${what})`);
  if (!c.token?.trim()) missing('CLOUD_API_TOKEN', 'the access token of the WhatsApp Business app');
  if (!c.phoneNumberId?.trim()) missing('CLOUD_API_PHONE_NUMBER_ID', 'the phone number ID shown in WhatsApp Manager, not the phone number');
  else if (!/^\d{5,30}$/.test(c.phoneNumberId.trim())) {
    const id = c.phoneNumberId.trim();
    problems.push(`CLOUD_API_PHONE_NUMBER_ID must be the numeric phone number ID from WhatsApp Manager, 5 to 30 digits (got ${id.length} characters${/^\d+$/.test(id) ? '' : ', not all digits'})`);
  }
  if (!c.appSecret?.trim()) missing('CLOUD_API_APP_SECRET', 'the app secret, to check the X-Hub-Signature-256 of webhooks');
  if (!c.verifyToken?.trim()) missing('CLOUD_API_VERIFY_TOKEN', 'any secret string, also entered in the webhook settings of the Meta app');
  let url: URL | undefined;
  try {
    url = new URL(c.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) problems.push(`CLOUD_API_BASE_URL must be an http(s) URL such as https://graph.facebook.com/v21.0 (got "${c.baseUrl}")`);
  return problems;
}

/** What the channel needs from the rest of Puente. */
export interface CloudApiDeps {
  readonly settings: CloudApiSettings;
  /**
   * Stores inbound messages durably (TurnRunner.accept). The webhook answers Meta 200 only once this resolved; when
   * it rejects, Meta gets a 500 and delivers the webhook again later.
   */
  readonly accept: (messages: readonly InboundMessage[]) => Promise<{ chats: string[] }>;
  /** Handles what was accepted for these chats (TurnRunner.kick); called after Meta got its 200. */
  readonly process: (chats: readonly string[]) => Promise<unknown> | void;
  /** Records a delivery status update (sent/delivered/read/failed); never answered. */
  readonly onStatus?: (s: DeliveryStatus) => void;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Default globalThis.fetch. */
  readonly fetch?: typeof fetch;
  /** Waits between send attempts; default {@link SEND_RETRY_DELAYS_MS}. */
  readonly retryDelaysMs?: readonly number[];
  /** Voice notes, photos and files larger than this are not downloaded (Config.mediaMaxBytes). */
  readonly mediaMaxBytes: number;
  /** Default {@link MEDIA_DEADLINE_MS}. */
  readonly mediaDeadlineMs?: number;
  /** Waits between attempts at one file; default MEDIA_RETRY_DELAYS_MS. */
  readonly mediaRetryDelaysMs?: readonly number[];
}

/** The running channel. */
export interface CloudApiChannel {
  /**
   * GET/POST {@link WEBHOOK_PATH}: the verify handshake and signed webhook deliveries (their files downloaded, answered
   * 200 once stored, handled after).
   */
  readonly router: express.Router;
  /** Sends a reply, split into several messages past 4,096 characters. Rejects when it could not be sent. */
  readonly outbound: Outbound;
  /** Staff notifications through the same send (recipient = staff number digits). */
  readonly notifier: Notifier;
  /** 'connected' once configured; 'down' with a one-line detail while settings are incomplete or the token is rejected. */
  status(): ChannelStatus;
  /** Resolves when the handling started by webhooks so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/** Checks `X-Hub-Signature-256: sha256=<hex>` against the HMAC-SHA256 of the raw body with the app secret. */
export function validSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!appSecret || !header) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The phone digits the Graph API wants in `to`, from a chat id ("15551234567", "+1 555…", "15551234567@c.us"). */
function recipientDigits(chat: string): string {
  return chat.replace(/@.*$/, '').replace(/\D/g, '');
}

/** Builds the channel. Does no I/O until a request or a send. */
export function createCloudApiChannel(deps: CloudApiDeps): CloudApiChannel {
  const { settings, log } = deps;
  const clock = deps.clock ?? systemClock;
  const pending = new Set<Promise<unknown>>();
  const progress = new PartProgress();
  const order = new ArrivalOrder();
  let authFailure: string | undefined;
  const tokenAccepted = (accepted: boolean) => {
    if (accepted && authFailure) log.info('cloud api token accepted again');
    authFailure = accepted ? undefined : `the Graph API rejected the access token (error ${AUTH_ERROR_CODE}); check CLOUD_API_TOKEN`;
  };
  // What both Graph API clients share: where, with which token, through which fetch, logging where.
  const graph = { baseUrl: settings.baseUrl, token: settings.token, log, fetch: deps.fetch ?? globalThis.fetch };
  const client = new GraphClient({
    ...graph,
    phoneNumberId: settings.phoneNumberId,
    retryDelaysMs: deps.retryDelaysMs ?? SEND_RETRY_DELAYS_MS,
    onResult: (error: GraphApiError | undefined) => tokenAccepted(error?.code !== AUTH_ERROR_CODE),
  });
  const media = new MediaDownloader({
    ...graph,
    maxBytes: deps.mediaMaxBytes,
    retryDelaysMs: deps.mediaRetryDelaysMs,
    onToken: tokenAccepted,
  });

  /** The webhook's messages, each with the file it carries when that could be kept in time. Never rejects. */
  const withFiles = async (events: WebhookEvents): Promise<InboundMessage[]> => {
    if (events.media.size === 0) return events.messages;
    const deadline = AbortSignal.timeout(deps.mediaDeadlineMs ?? MEDIA_DEADLINE_MS);
    return Promise.all(events.messages.map(async (message) => {
      const ref = events.media.get(message.id);
      const result = ref ? await media.download(ref, message.id, deadline) : undefined;
      return result?.ok ? { ...message, attachment: result.attachment } : message;
    }));
  };

  const send = async (chat: string, text: string): Promise<void> => {
    const to = recipientDigits(chat);
    if (!to) throw new Error('Cloud API can only send to phone numbers');
    await progress.send(to, text, splitText(text), async (piece) => {
      await client.sendText(to, piece);
    });
  };

  /** Logs what the webhook reports besides messages: delivery statuses and errors. */
  const report = (events: ReturnType<typeof readWebhook>): void => {
    log.debug({ messages: events.messages.length, statuses: events.statuses.length, ignored: events.ignored }, 'cloud api webhook');
    for (const error of events.errors) log.warn({ code: error.code, title: error.title }, 'cloud api webhook reported an error');
    for (const st of events.statuses) {
      const fields = { message: messageRef(st.messageId), status: st.status, chat: maskChat(st.recipient), errorCode: st.errorCode };
      if (st.status === 'failed') log.warn(fields, 'cloud api message not delivered');
      else log.debug(fields, 'cloud api delivery status');
      try {
        deps.onStatus?.(st);
      } catch (err) {
        log.error({ err, message: messageRef(st.messageId) }, 'delivery status handler failed');
      }
    }
  };

  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const router = express.Router();
  router.get(WEBHOOK_PATH, (req: Request, res: Response) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && typeof challenge === 'string' && settings.verifyToken.length > 0 && sameSecret(token, settings.verifyToken)) {
      log.info('cloud api webhook verified');
      res.type('text/plain').set('X-Content-Type-Options', 'nosniff').send(challenge);
      return;
    }
    log.warn({ mode: typeof mode === 'string' ? mode.slice(0, 20) : undefined }, 'cloud api webhook verification refused');
    res.status(403).json({ error: 'forbidden' });
  });
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = req.get('x-hub-signature-256');
    if (!validSignature(raw, header, settings.appSecret)) {
      log.warn({ bytes: raw.length, signature: header ? 'wrong' : 'missing' }, 'cloud api webhook refused: bad signature');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ bytes: raw.length }, 'cloud api webhook body is not JSON');
      res.status(400).json({ error: 'invalid JSON' });
      return;
    }
    const events = readWebhook(payload, settings.phoneNumberId, clock.now());
    report(events);
    if (events.messages.length === 0) {
      res.sendStatus(200);
      return;
    }
    // Meta does not deliver again what got a 200: answer only once the messages are stored durably (the inbox), with
    // their files; a chat's webhooks are stored in the order they arrived, whichever file finished downloading first.
    const place = order.enter(events.messages.map((m) => m.chat));
    let chats: string[];
    try {
      const messages = await withFiles(events);
      await place.turn;
      ({ chats } = await deps.accept(messages));
    } catch (err) {
      log.error({ err, messages: events.messages.length }, 'cloud api webhook not stored; Meta will deliver it again');
      res.status(503).json({ error: 'temporarily unavailable' });
      return;
    } finally {
      place.leave();
    }
    res.sendStatus(200);
    track(Promise.resolve(deps.process(chats)).catch((err) => log.error({ err }, 'cloud api webhook processing failed')));
  });
  // Body errors of this route (too large, bad encoding, aborted): a 4xx without details, nothing processed.
  router.use(WEBHOOK_PATH, (err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
    log.warn({ status, reason: err.type ?? err.name }, 'cloud api webhook body refused');
    res.status(status).json({ error: status === 413 ? 'payload too large' : 'bad request' });
  });

  return {
    router,
    outbound: { send },
    notifier: { notify: (recipient, text) => send(recipient, text) },
    status(): ChannelStatus {
      const problem = cloudApiProblems(settings)[0] ?? authFailure;
      return problem ? { name: 'cloud-api', state: 'down', detail: problem } : { name: 'cloud-api', state: 'connected' };
    },
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
