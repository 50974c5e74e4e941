/**
 * The whatsapp-web channel (SPEC §7): links the firm's own WhatsApp number through whatsapp-web.js and Chromium.
 *
 * - Inbound: `message` events only; groups, status, channels, broadcasts, system messages and our own are ignored. A
 *   voice note, photo, video, file or sticker is downloaded first (within MEDIA_MAX_MB, allowed types, and
 *   `mediaTimeoutMs`) and handed over as the message's `attachment`; when it cannot be, the message goes without. A
 *   chat's messages are handed over in the order they arrived, whichever download finished first.
 * - Staff take-over: a `message_create` from the linked phone that Puente did not send itself pauses the bot in that chat
 *   (`#bot` typed there resumes it). Every outbound is marked before sending and its id remembered afterwards, so the
 *   bot's own sends are never mistaken for staff.
 * - Outbound: "typing…", a short human-like pause, long replies split on paragraphs, a per-minute cap, one retry.
 * - Resilience: after `disconnected`, `auth_failure`, a closed page or a failed `initialize()`, the client is destroyed and
 *   a new one started with exponential back-off (the same client is never initialised twice). `LOGOUT` means a new QR.
 */
import type { Logger } from '../../log';
import { maskChat, messageRef } from '../../log';
import { refusalLogLevel } from '../../media';
import type { ChannelStatus, Notifier, Outbound } from '../channel';
import type { InboundMessage } from '../../dialogue/types';
import type { WaClient, WaMessage } from './client';
import { parseCommand } from '../../dialogue/commands';
import { ArrivalOrder } from '../arrival-order';
import { PartProgress, splitMessage } from '../parts';
import { chatKind, ignoreReason, toInbound } from './mapping';
import { downloadFile } from './media';

/** What the channel hands messages to (the turn runner). */
export interface ChannelRunner {
  handle(message: InboundMessage): Promise<unknown>;
  staffMessage(chat: string, text: string): Promise<unknown>;
  flushOutbox(): Promise<number>;
}

/** Timing of the channel; tests shorten it. */
export interface WhatsAppWebTiming {
  /** First wait before a new client after a failure; doubles each time up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Messages sent per minute at most (WhatsApp bans numbers that send like machines). */
  readonly perMinute: number;
  /** The pause while "typing…" before a reply of `chars` characters. */
  typingMs(chars: number): number;
  /** Replies longer than this are split on paragraph boundaries. */
  readonly splitAt: number;
  /** A voice note, photo or file not downloaded by then is left out (the message is handed over without it). */
  readonly mediaTimeoutMs: number;
}

export const DEFAULT_WWEB_TIMING: WhatsAppWebTiming = {
  backoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  perMinute: 30,
  typingMs: (chars) => Math.min(2_500, 400 + chars * 4),
  splitAt: 1_500,
  mediaTimeoutMs: 30_000,
};

/** Dependencies of the channel. */
export interface WhatsAppWebDeps {
  /** Builds a fresh client (a new browser) each time one is needed. */
  readonly createClient: () => WaClient;
  readonly runner: ChannelRunner;
  readonly log: Logger;
  readonly timing?: Partial<WhatsAppWebTiming>;
  /** Called with each new QR code (the terminal prints it; the dashboard shows it). */
  readonly onQr?: (qr: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Voice notes, photos and files larger than this are not kept (Config.mediaMaxBytes). */
  readonly mediaMaxBytes: number;
}

const sleeper = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The whatsapp-web channel. */
export class WhatsAppWebChannel {
  private client: WaClient | undefined;
  private generation = 0;
  private state: ChannelStatus['state'] = 'down';
  private detail: string | undefined;
  private needsQr = false;
  private currentQr: string | undefined;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Ids of messages the bot sent (bounded), and sends under way, to tell our own `message_create` from staff. */
  private readonly ownIds = new Set<string>();
  private readonly pending: { chat: string; body: string }[] = [];
  private readonly sentAt: number[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly progress = new PartProgress();
  private readonly order = new ArrivalOrder();
  private readonly timing: WhatsAppWebTiming;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly deps: WhatsAppWebDeps) {
    this.timing = { ...DEFAULT_WWEB_TIMING, ...deps.timing };
    this.sleep = deps.sleep ?? sleeper;
    this.now = deps.now ?? Date.now;
  }

  /** Starts the first client. Never throws: failures are logged and retried. */
  start(): void {
    this.stopping = false;
    this.launch();
  }

  /** Connection state for `/readyz` and the dashboard. */
  status(): ChannelStatus {
    return { name: 'whatsapp-web', state: this.state, ...(this.detail ? { detail: this.detail } : {}), ...(this.needsQr ? { needsQr: true } : {}) };
  }

  /** The QR code to scan while the phone is not linked (undefined once linked). */
  qr(): string | undefined {
    return this.currentQr;
  }

  /** Replies to clients. Rejects when not connected (the turn runner keeps the reply and sends it after reconnecting). */
  readonly outbound: Outbound = { send: (chat, text) => this.track(this.deliver(chat, text)) };

  /** Staff notifications: to each staff number's own chat. */
  readonly notifier: Notifier = { notify: (recipient, text) => this.track(this.deliver(`${recipient.replace(/\D/g, '')}@c.us`, text, false)) };

  /** Stops: no more restarts, waits for sends under way, then destroys the browser so the session stays intact. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await Promise.allSettled([...this.inflight]);
    await this.destroyClient();
    this.state = 'down';
  }

  private launch(): void {
    if (this.stopping) return;
    const generation = ++this.generation;
    let client: WaClient;
    try {
      client = this.deps.createClient();
    } catch (err) {
      return this.fail(generation, 'could not create the WhatsApp client', err);
    }
    this.client = client;
    this.state = 'connecting';
    const current = () => generation === this.generation && !this.stopping;
    client.on('qr', (qr) => {
      if (!current()) return;
      this.currentQr = qr;
      this.needsQr = true;
      this.detail = 'waiting for the QR code to be scanned';
      this.deps.log.info('WhatsApp: scan the QR code with the firm\'s phone (WhatsApp → Linked devices → Link a device)');
      this.deps.onQr?.(qr);
    });
    client.on('authenticated', () => {
      if (!current()) return;
      if (this.needsQr || this.currentQr) this.deps.log.info('WhatsApp: phone linked');
      this.currentQr = undefined;
      this.needsQr = false;
    });
    client.on('ready', () => {
      if (!current()) return;
      const wasConnected = this.state === 'connected';
      this.state = 'connected';
      this.detail = undefined;
      this.failures = 0;
      if (wasConnected) return; // `ready` can fire twice; the second changes nothing
      this.deps.log.info('WhatsApp: connected');
      void this.deps.runner.flushOutbox().catch((err) => this.deps.log.warn({ err }, 'sending saved replies failed'));
    });
    client.on('auth_failure', (message) => {
      if (!current()) return;
      this.needsQr = true;
      this.fail(generation, `authentication failed (${String(message).slice(0, 80)}); a new QR code will be shown`);
    });
    client.on('disconnected', (reason) => {
      if (!current()) return;
      if (reason === 'LOGOUT') {
        this.needsQr = true;
        this.fail(generation, 'the phone logged this device out: scan the new QR code to link it again');
      } else {
        this.fail(generation, `disconnected (${String(reason).slice(0, 40)})`);
      }
    });
    client.on('message', (m) => {
      if (current()) this.track(this.inbound(m));
    });
    client.on('message_create', (m) => {
      if (current()) this.track(this.created(m));
    });
    client.onPageClosed?.(() => {
      if (current()) this.fail(generation, 'the browser page closed');
    });
    client.initialize().catch((err: unknown) => {
      if (current()) this.fail(generation, 'could not start WhatsApp Web', err);
    });
  }

  /** One failure of the current client: destroy it, and start a new one after the back-off. */
  private fail(generation: number, reason: string, err?: unknown): void {
    if (generation !== this.generation || this.stopping) return;
    this.generation++; // events from the failed client are ignored from now on
    this.state = 'down';
    this.detail = reason;
    const delay = Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** this.failures);
    this.failures++;
    const cause = err instanceof Error ? err.message.split('\n')[0].slice(0, 160) : undefined;
    this.deps.log.error({ attempt: this.failures, retryInMs: delay, ...(cause ? { cause } : {}) }, `WhatsApp: ${reason}; retrying in ${delay < 10_000 ? (delay / 1000).toFixed(1) : Math.round(delay / 1000)} s`);
    const old = this.client;
    this.client = undefined;
    void (async () => {
      try {
        await old?.destroy();
      } catch {
        // a client that never started has nothing to destroy
      }
    })();
    this.restartTimer = setTimeout(() => this.launch(), delay);
    this.restartTimer.unref();
  }

  private async destroyClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.generation++;
    try {
      await client?.destroy();
    } catch (err) {
      this.deps.log.warn({ err }, 'WhatsApp: closing the browser failed');
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    void promise.catch(() => undefined).finally(() => this.inflight.delete(promise));
    return promise;
  }

  /** A message from someone else: its file downloaded, then handed to the runner after the chat's earlier messages. */
  private async inbound(m: WaMessage): Promise<void> {
    const reason = ignoreReason(m);
    if (reason) return;
    const receivedAt = new Date(this.now());
    const place = this.order.enter([m.from]);
    try {
      const [chat, attachment] = await Promise.all([this.replyChat(m.from), this.attachment(m)]);
      await place.turn;
      const handled = this.deps.runner.handle(toInbound(m, chat, receivedAt, attachment));
      place.leave(); // the runner keeps the chat's order from here
      await handled;
    } finally {
      place.leave();
    }
  }

  /** The message's file when it carries one that may be kept; undefined otherwise (logged). Never rejects. */
  private async attachment(m: WaMessage) {
    const result = await downloadFile(m, this.deps.mediaMaxBytes, this.timing.mediaTimeoutMs);
    if (!result) return undefined;
    const message = messageRef(`wa:${m.id._serialized}`);
    if (result.ok) {
      this.deps.log.debug({ message, type: result.attachment.mimeType, bytes: result.attachment.data.length }, 'WhatsApp: media downloaded');
      return result.attachment;
    }
    const fields = { message, reason: result.reason, maxBytes: this.deps.mediaMaxBytes, ...(result.cause ? { cause: result.cause } : {}) };
    this.deps.log[refusalLogLevel(result.reason)](fields, 'WhatsApp: media not kept');
    return undefined;
  }

  /** Any message created in the account: ours (ignore), or typed by staff on the phone (take-over). */
  private async created(m: WaMessage): Promise<void> {
    if (!m.fromMe) return; // incoming messages arrive through `message`
    const chat = m.to;
    const kind = chatKind(chat);
    if (kind !== 'person' && kind !== 'lid') return;
    if (this.isOwn(m)) return;
    const text = typeof m.body === 'string' ? m.body : '';
    this.deps.log.info({ chat: maskChat(chat) }, parseCommand(text)?.type === 'staff-resume' ? 'WhatsApp: staff typed #bot' : 'WhatsApp: staff wrote from the phone');
    await this.deps.runner.staffMessage(await this.replyChat(chat), text);
  }

  private isOwn(m: WaMessage): boolean {
    if (this.ownIds.has(m.id._serialized)) return true;
    const i = this.pending.findIndex((p) => p.chat === m.to && p.body === m.body);
    if (i === -1) return false;
    this.pending.splice(i, 1);
    this.remember(m.id._serialized);
    return true;
  }

  private remember(id: string): void {
    this.ownIds.add(id);
    if (this.ownIds.size > 5_000) this.ownIds.delete(this.ownIds.values().next().value as string);
  }

  /** The chat to answer: a `@lid` sender is mapped to their phone-number id when WhatsApp tells us. */
  private async replyChat(id: string): Promise<string> {
    if (chatKind(id) !== 'lid' || !this.client?.getContactLidAndPhone) return id;
    try {
      const [found] = await this.client.getContactLidAndPhone([id]);
      return found?.pn && chatKind(found.pn) === 'person' ? found.pn : id;
    } catch {
      return id;
    }
  }

  /** Sends one reply: typing, a pause, the parts in order; one retry per part. */
  private async deliver(chat: string, text: string, typing = true): Promise<void> {
    await this.progress.send(chat, text, splitMessage(text, this.timing.splitAt), async (part) => {
      const client = this.client;
      if (!client || this.state !== 'connected') throw new Error('WhatsApp is not connected');
      await this.throttle();
      if (typing && client.sendStateTyping) {
        await client.sendStateTyping(chat).catch(() => undefined);
        await this.sleep(this.timing.typingMs(part.length));
      }
      await this.sendPart(client, chat, part);
    });
  }

  private async sendPart(client: WaClient, chat: string, part: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const mark = { chat, body: part };
      this.pending.push(mark);
      try {
        const sent = await client.sendMessage(chat, part);
        this.remember(sent.id._serialized);
        return;
      } catch (err) {
        if (attempt >= 2) throw err;
        this.deps.log.warn({ chat: maskChat(chat) }, 'WhatsApp: send failed; retrying once');
        await this.sleep(1_000);
      } finally {
        const i = this.pending.indexOf(mark);
        if (i !== -1) this.pending.splice(i, 1);
      }
    }
  }

  /** Waits while the per-minute cap is reached. */
  private async throttle(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sentAt.length > 0 && now - this.sentAt[0] >= 60_000) this.sentAt.shift();
      if (this.sentAt.length < this.timing.perMinute) {
        this.sentAt.push(now);
        return;
      }
      await this.sleep(60_000 - (now - this.sentAt[0]) + 10);
    }
  }
}
