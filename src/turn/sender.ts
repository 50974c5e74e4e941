/**
 * Sending the outbox: every reply once, in order per chat, retried with back-off while it can still be delivered.
 *
 * - Only the oldest unsent reply of a chat is ever eligible, so a reply that failed holds back the ones after it and
 *   one chat's replies always arrive in order.
 * - A reply is claimed with a lease before sending; a sender that dies loses its lease and another (on any server)
 *   takes the reply over. After a crash, at most the replies in flight at that moment can go out twice.
 * - Failures are retried with growing pauses while Meta's 24-hour customer-service window is open (from the client's
 *   last message); then the reply is marked failed and shown to staff.
 */
import type { Outbound } from '../channels/channel';
import type { Clock } from '../clock';
import { maskChat, type Logger } from '../log';
import type { OutboxEntry, Store } from '../store';

/** Pauses between attempts of one reply; the last one repeats until the window closes. */
export const SEND_BACKOFF_MS: readonly number[] = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000];
/** Meta lets a business reply freely for this long after the client's last message. */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

/** Options of the sender. */
export interface OutboxSenderDeps {
  readonly store: Store;
  readonly outbound: Outbound;
  readonly clock: Clock;
  readonly log: Logger;
  /** This process's name in leases. */
  readonly owner: string;
  /** How long a claimed reply stays ours; longer than one send with its retries inside the channel. */
  readonly leaseMs?: number;
  /**
   * Replies being sent at the same time, at most (each to a different chat). A server that dies can have sent these
   * without recording it yet: only they can go out twice.
   */
  readonly concurrency?: number;
  readonly backoffMs?: readonly number[];
  /** How often to look for replies other servers left behind or that came due. */
  readonly pollMs?: number;
}

/** Sends the outbox. */
export class OutboxSender {
  private readonly lease: number;
  private readonly concurrency: number;
  private readonly backoff: readonly number[];
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<Promise<unknown>>();
  private stopped = false;
  /** Sent replies waiting to be recorded: written together while a write is under way (one commit for many). */
  private readonly sentQueue: { id: number; done: (err?: unknown) => void }[] = [];
  private recording = false;
  /** Chats whose claimed replies this sender is sending now (a flush of the chat waits for them: order). */
  private readonly sendingChats = new Map<string, Promise<number>>();
  /** Sends under way, and those waiting for a place (bounded by `concurrency`). */
  private sending = 0;
  private readonly waitingForSlot: (() => void)[] = [];

  constructor(private readonly deps: OutboxSenderDeps) {
    this.lease = deps.leaseMs ?? 120_000;
    this.concurrency = deps.concurrency ?? 32;
    this.backoff = deps.backoffMs ?? SEND_BACKOFF_MS;
  }

  /**
   * Sends every reply due now — of one chat, or of all — each chat's in order. `ignoreBackoff`: the channel just came
   * back, so replies waiting for a retry go now too. Resolves with how many were sent. Never rejects.
   */
  flush(chat?: string, options: { ignoreBackoff?: boolean } = {}): Promise<number> {
    // Replies this sender is sending for the chat go first; what waits behind them is claimed after.
    const before = chat === undefined ? undefined : this.sendingChats.get(chat);
    const run = (before ?? Promise.resolve(0)).then(() => this.send(chat, options.ignoreBackoff === true));
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));
    return run;
  }

  /** This sender's name in leases. */
  get owner(): string {
    return this.deps.owner;
  }

  /** How long a claim lasts. */
  get leaseMs(): number {
    return this.lease;
  }

  /**
   * Sends replies already claimed for this sender (a turn's replies, claimed in its transaction), in order. At the first
   * failure the rest are given back to wait behind the failed one. Resolves with how many went out. Never rejects.
   */
  async sendClaimed(entries: readonly OutboxEntry[], leaseUntil: Date): Promise<number> {
    const chat = entries[0]?.chat;
    const before = chat === undefined ? undefined : this.sendingChats.get(chat);
    const run = (async () => {
      await before;
      for (let i = 0; i < entries.length; i++) {
        if (!(await this.deliver(entries[i], leaseUntil.getTime()))) {
          await this.deps.store.releaseOutbox(entries.slice(i + 1).map((e) => e.id), this.deps.owner).catch((err) => this.deps.log.error({ err }, 'could not give back claimed replies'));
          return i;
        }
      }
      return entries.length;
    })();
    this.inflight.add(run);
    if (chat !== undefined) this.sendingChats.set(chat, run);
    void run.finally(() => {
      this.inflight.delete(run);
      if (chat !== undefined && this.sendingChats.get(chat) === run) this.sendingChats.delete(chat);
    });
    return run;
  }

  /** Sends what is waiting (replies queued before a restart go out now), then looks again every `pollMs`. */
  start(): void {
    this.stopped = false;
    void this.flush();
    const poll = this.deps.pollMs ?? 2_000;
    this.timer = setInterval(() => void this.flush(), poll);
    this.timer.unref();
  }

  /** Stops polling and waits for sends under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async send(chat: string | undefined, ignoreBackoff: boolean): Promise<number> {
    const { store, clock, log, owner } = this.deps;
    let sent = 0;
    let retried = false;
    try {
      for (;;) {
        if (this.stopped && chat === undefined) return sent;
        // Only the first round skips the back-off (the channel is back); a reply that fails again waits as usual.
        const claimedAt = clock.now();
        const batch = await store.claimOutbox(owner, claimedAt, this.lease, this.concurrency, chat, { ignoreBackoff: ignoreBackoff && sent === 0 && !retried });
        retried = true;
        if (batch.length === 0) return sent;
        const results = await Promise.all(batch.map((entry) => this.deliver(entry, claimedAt.getTime() + this.lease)));
        const delivered = results.filter(Boolean).length;
        sent += delivered;
        // Every head failed: its retry is scheduled; the chats behind it wait. Nothing more to do now.
        if (delivered === 0) return sent;
      }
    } catch (err) {
      log.error({ err }, 'outbox flush failed');
      return sent;
    }
  }

  /**
   * Sends one reply and records it, holding one of the `concurrency` places from the send until it is recorded.
   * `leaseUntil`: when our claim runs out. A reply that waited long for a place (a busy server) has its claim renewed
   * first; if another sender took it meanwhile, it is theirs to send, not ours (false).
   */
  private async deliver(entry: OutboxEntry, leaseUntil: number): Promise<boolean> {
    // A freed place passes straight to the next waiter, so no newcomer can slip in between and exceed the bound.
    if (this.sending < this.concurrency) this.sending++;
    else await new Promise<void>((go) => this.waitingForSlot.push(go));
    try {
      if (!(await this.stillOurs(entry, leaseUntil))) return false;
      return await this.sendAndRecord(entry, this.keepClaim(entry));
    } finally {
      const next = this.waitingForSlot.shift();
      if (next) next();
      else this.sending--;
    }
  }

  /** True when at least half the lease is left, or the claim could be renewed (nobody else took the reply). */
  private async stillOurs(entry: OutboxEntry, leaseUntil: number): Promise<boolean> {
    const { store, clock, log, owner } = this.deps;
    const now = clock.now();
    if (leaseUntil - now.getTime() >= this.lease / 2) return true;
    try {
      if ((await store.renewOutbox([entry.id], owner, now, this.lease)).length > 0) return true;
      log.warn({ chat: maskChat(entry.chat), outbox: entry.id }, 'claim on a reply ran out while it waited; another sender has it');
    } catch (err) {
      log.error({ err, chat: maskChat(entry.chat), outbox: entry.id }, 'could not renew the claim on a reply; left for the next round');
    }
    return false;
  }

  /**
   * Keeps the claim on a reply alive while it is being sent (renewed every third of the lease), so a slow send is never
   * taken over and sent again by another sender; only a dead process lets its claims run out. Returns the function that
   * stops the renewals and waits for the one under way.
   */
  private keepClaim(entry: OutboxEntry): () => Promise<void> {
    const { store, clock, log, owner } = this.deps;
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = store.renewOutbox([entry.id], owner, clock.now(), this.lease).then(
        (ids) => {
          if (ids.length === 0) log.warn({ chat: maskChat(entry.chat), outbox: entry.id }, 'claim on a reply lost while it was being sent');
        },
        (err) => log.error({ err, chat: maskChat(entry.chat), outbox: entry.id }, 'could not renew the claim on a reply being sent'),
      );
    }, Math.max(1, Math.floor(this.lease / 3)));
    timer.unref();
    return async () => {
      clearInterval(timer);
      await renewing;
    };
  }

  private async sendAndRecord(entry: OutboxEntry, stopRenewing: () => Promise<void>): Promise<boolean> {
    const { store, outbound, clock, log } = this.deps;
    try {
      await outbound.send(entry.chat, entry.text);
    } catch (err) {
      await stopRenewing();
      const now = clock.now();
      const retryAt = this.retryAt(entry, now);
      const reason = err instanceof Error ? err.message : String(err);
      await store.markSendFailed(entry.id, reason, retryAt, now);
      const fields = { chat: maskChat(entry.chat), outbox: entry.id, attempts: entry.attempts + 1, reason: reason.slice(0, 200) };
      if (retryAt) log.warn({ ...fields, retryAt: retryAt.toISOString() }, 'send failed; will retry');
      else log.error(fields, 'send failed for good (the 24-hour window closed); shown to staff');
      return false;
    }
    await stopRenewing();
    try {
      await this.recordSent(entry.id);
    } catch (err) {
      // Sent, but not recorded: after the lease another sender may send it again (the at-most-once window of a crash).
      log.error({ err, chat: maskChat(entry.chat), outbox: entry.id }, 'reply sent but not recorded as sent');
    }
    return true;
  }

  /** Records a reply as sent, together with the others sent meanwhile. */
  private recordSent(id: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.sentQueue.push({ id, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.recording) void this.writeSent();
    });
  }

  private async writeSent(): Promise<void> {
    this.recording = true;
    while (this.sentQueue.length > 0) {
      const batch = this.sentQueue.splice(0);
      try {
        await this.deps.store.markSent(batch.map((b) => b.id), this.deps.clock.now());
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err);
      }
    }
    this.recording = false;
  }

  /** When to try again, or undefined once the 24-hour window will have closed by then. */
  private retryAt(entry: OutboxEntry, now: Date): Date | undefined {
    const pause = this.backoff[Math.min(entry.attempts, this.backoff.length - 1)];
    const at = new Date(now.getTime() + pause);
    const windowFrom = Date.parse(entry.lastInboundAt ?? entry.createdAt);
    return at.getTime() < windowFrom + SERVICE_WINDOW_MS ? at : undefined;
  }
}
