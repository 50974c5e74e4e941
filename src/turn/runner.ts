/**
 * One turn, end to end, and the single error boundary for every channel.
 *
 * A message is first stored in the chat's inbox (durably: the Cloud API webhook answers Meta only after this), then
 * the chat's inbox is drained in order, one item per transaction holding the chat's lock: load → decide → persist →
 * finish the inbox item, all or nothing. Replies are committed to the outbox in that same transaction and sent by the
 * {@link OutboxSender}. A crash at any point loses nothing: unfinished inbox work is picked up again (by this server
 * at start, or by any other), and a turn is never committed twice.
 */
import { resumedState, type DialogueEngine } from '../dialogue/engine';
import { parseCommand } from '../dialogue/commands';
import { STRINGS } from '../dialogue/strings';
import type { InboundMessage } from '../dialogue/types';
import type { Clock } from '../clock';
import { withoutNul } from '../text';
import { maskChat, messageRef, type Logger } from '../log';
import { keepMessageMedia, SlotTakenError, type ChatTx, type InboxItem, type InboxWork, type OutboxEntry, type Store, type TurnLoad } from '../store';
import type { TurnApplier } from './apply';
import type { OutboxSender } from './sender';

/** How one inbound message ended. */
export type TurnOutcome = 'answered' | 'silent' | 'duplicate' | 'failed';

/** What a staff message did. */
export type StaffOutcome = 'recorded' | 'resumed' | 'failed';

/** Dependencies of the runner. */
export interface TurnRunnerDeps {
  readonly store: Store;
  readonly engine: DialogueEngine;
  readonly applier: TurnApplier;
  readonly sender: OutboxSender;
  readonly log: Logger;
  readonly clock: Clock;
  /** Called after a turn that recorded effects (staff notifications may be due). */
  readonly afterEffects?: () => void;
}

/** A turn lost a race for a consultation time this many times in a row: something else is wrong. */
const MAX_SLOT_RETRIES = 3;

/** What a decided turn left to do after its commit. */
interface Decided {
  readonly outbox: readonly OutboxEntry[];
  /** It recorded effects (staff may need telling). */
  readonly effects: boolean;
  /** Its replies were claimed for this server in the transaction, until this time. */
  readonly claimed: Date | undefined;
}

const NOTHING: Decided = { outbox: [], effects: false, claimed: undefined };

/** Runs turns. One instance per process; any number of processes may share one database. */
export class TurnRunner {
  /** Chats being drained by this process now (bounded by the chats in flight, emptied as they finish). */
  private readonly draining = new Map<string, { run: Promise<void>; again: boolean }>();
  /** Outcomes for callers of {@link handle} that wait for their message (removed when read). */
  private readonly waiting = new Map<string, TurnOutcome>();

  constructor(private readonly deps: TurnRunnerDeps) {}

  /**
   * Stores inbound work durably; resolves once it is committed (the channel may then acknowledge it). Messages whose
   * id was accepted before are skipped. Rejects when the database cannot store it (the channel must not acknowledge).
   */
  async accept(work: readonly InboxWork[]): Promise<{ chats: string[]; duplicates: number }> {
    return this.deps.store.accept(work.map((w) => (w.kind === 'message' ? { ...w, message: storable(w.message) } : w)), this.deps.clock.now());
  }

  /** Handles what was accepted for `chats`, in the background. Never rejects. */
  kick(chats: readonly string[]): void {
    for (const chat of chats) void this.drain(chat);
  }

  /**
   * Handles one message now (whatsapp-web, console): in one transaction its id is claimed and, when nothing of the chat
   * is waiting before it, the turn is decided and written; otherwise it joins the chat's inbox, which is drained in
   * order. Its replies are sent right after. Resolves with how the message ended. Never rejects.
   */
  async handle(received: InboundMessage): Promise<TurnOutcome> {
    const { log } = this.deps;
    const message = storable(received);
    const chat = message.chat;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const done = await this.deps.store.withChat(chat, async (tx) => {
            const now = this.deps.clock.now();
            const load = await tx.load(now, message.id);
            if (!load.claimed) return 'duplicate' as const;
            if (load.queued) {
              await tx.schedule({ kind: 'message', message }, now);
              return 'queued' as const;
            }
            return this.decide(tx, message, load, now);
          });
          if (done === 'duplicate') return 'duplicate';
          if (done === 'queued') break;
          await this.afterCommit(chat, done);
          return done.outbox.length > 0 ? 'answered' : 'silent';
        } catch (err) {
          if (err instanceof SlotTakenError && attempt < MAX_SLOT_RETRIES) {
            log.info({ chat: maskChat(chat) }, 'consultation time taken meanwhile; deciding again');
            continue;
          }
          // A turn that fails (a bug) must not lose the message: it goes to the inbox, whose drain sets it aside.
          log.error({ err, chat: maskChat(chat), message: messageRef(message.id) }, 'turn failed');
          await this.accept([{ kind: 'message', message }]);
          break;
        }
      }
      this.waiting.set(message.id, 'silent');
      await this.drain(chat);
      return this.waiting.get(message.id) ?? 'silent';
    } catch (err) {
      log.error({ err, chat: maskChat(chat), message: messageRef(message.id) }, 'message could not be stored');
      return 'failed';
    } finally {
      this.waiting.delete(message.id);
    }
  }

  /**
   * Staff wrote in a chat from the linked phone: the bot pauses there (`#bot` resumes it instead). Runs in the chat's
   * order, after the messages before it. Never rejects.
   */
  async staffMessage(chat: string, written: string): Promise<StaffOutcome> {
    const text = withoutNul(written);
    try {
      await this.accept([{ kind: 'staff', chat, text, at: this.deps.clock.now().toISOString() }]);
      await this.drain(chat);
      return parseCommand(text)?.type === 'staff-resume' ? 'resumed' : 'recorded';
    } catch (err) {
      this.deps.log.error({ err, chat: maskChat(chat) }, 'staff message failed');
      return 'failed';
    }
  }

  /**
   * Processes the chat's due inbox work in order until none is left. One drain per chat at a time in this process;
   * other processes are kept out by the chat's lock. Never rejects.
   */
  drain(chat: string): Promise<void> {
    const current = this.draining.get(chat);
    if (current) {
      current.again = true; // work may have arrived after the running drain looked
      return current.run;
    }
    const entry = { run: Promise.resolve(), again: false };
    entry.run = (async () => {
      try {
        do {
          entry.again = false;
          // Each turn's replies go out before the next turn of the chat (processOne sends them), so they stay in order.
          while (await this.processOne(chat));
        } while (entry.again);
      } finally {
        this.draining.delete(chat);
      }
    })();
    this.draining.set(chat, entry);
    return entry.run;
  }

  /** Drains every chat with due work (at start, periodically, and when scheduled work comes due). Never rejects. */
  async sweep(limit = 100): Promise<number> {
    try {
      const chats = await this.deps.store.chatsWithWork(this.deps.clock.now(), limit);
      await Promise.all(chats.map((chat) => this.drain(chat)));
      return chats.length;
    } catch (err) {
      this.deps.log.error({ err }, 'inbox sweep failed');
      return 0;
    }
  }

  /** Resolves when every drain started so far has finished (used on shutdown and in tests). */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.all([...this.draining.values()].map((d) => d.run));
  }

  /**
   * Handles the chat's next due inbox item in one transaction and sends its replies; true when more items are due.
   * Never rejects.
   */
  private async processOne(chat: string): Promise<boolean> {
    const { store, log, clock } = this.deps;
    for (let attempt = 0; ; attempt++) {
      try {
        const handled = await store.withChat(chat, async (tx) => {
          const item = await tx.nextInbox(clock.now());
          if (!item) return undefined;
          const done = await this.run(tx, item);
          await tx.finishInbox(item.seq);
          return { done, more: (await tx.nextInbox(clock.now())) !== undefined };
        });
        if (!handled) return false;
        await this.afterCommit(chat, handled.done);
        return handled.more;
      } catch (err) {
        if (err instanceof SlotTakenError && attempt < MAX_SLOT_RETRIES) {
          // Another chat took the consultation time between our read and our write: decide again on fresh data.
          log.info({ chat: maskChat(chat) }, 'consultation time taken meanwhile; deciding again');
          continue;
        }
        log.error({ err, chat: maskChat(chat) }, 'turn failed');
        return this.setAside(chat);
      }
    }
  }

  /** After a turn committed: staff notifications, and its replies sent (already claimed, or through the queue). */
  private async afterCommit(chat: string, done: Decided): Promise<void> {
    if (done.effects) this.deps.afterEffects?.();
    if (done.claimed) await this.deps.sender.sendClaimed(done.outbox, done.claimed);
    else if (done.outbox.length > 0) await this.deps.sender.flush(chat);
  }

  /** Carries out one inbox item. */
  private async run(tx: ChatTx, item: InboxItem): Promise<Decided> {
    const { engine, applier, clock, log } = this.deps;
    const now = clock.now();
    const work = item.work;
    if (work.kind === 'staff') {
      await this.staff(tx, work.text, new Date(work.at));
      return NOTHING;
    }
    const load = await tx.load(now);
    if (work.kind === 'release') {
      if (!load.state) return NOTHING;
      const result = engine.release(load.state, now, load.context);
      if (result.replies.length === 0 && result.effects.length === 0) return NOTHING;
      const lease = this.leaseFor(load, now);
      const outbox = await applier.apply(tx, { state: result.state, analysis: result.analysis, replies: result.replies, effects: result.effects, at: now }, lease);
      log.info({ chat: maskChat(tx.chat), intent: result.analysis.intent, replies: result.replies.length }, 'held messages answered');
      return { outbox, effects: result.effects.length > 0, claimed: lease?.until };
    }
    return this.decide(tx, work.message, load, now);
  }

  /** Decides and writes one message's turn; its replies are claimed for this server unless older ones wait. */
  private async decide(tx: ChatTx, message: InboundMessage, load: TurnLoad, now: Date): Promise<Decided> {
    const { engine, applier, log } = this.deps;
    const result = engine.handle(load.state, message, now, load.context);
    const erasing = result.effects.some((e) => e.type === 'contact.erased');
    const lease = erasing ? undefined : this.leaseFor(load, now);
    const outbox = await applier.apply(tx, { message, state: result.state, analysis: result.analysis, replies: result.replies, effects: result.effects, at: now }, lease);
    if (this.waiting.has(message.id)) this.waiting.set(message.id, outbox.length > 0 ? 'answered' : 'silent');
    log.info(
      { chat: maskChat(message.chat), message: messageRef(message.id), intent: result.analysis.intent, lang: result.analysis.lang, effects: result.effects.map((e) => e.type) },
      'turn',
    );
    return { outbox, effects: result.effects.length > 0, claimed: lease?.until };
  }

  /** Replies are claimed at birth for this server only when none of the chat's earlier replies is still waiting. */
  private leaseFor(load: TurnLoad, now: Date): { owner: string; until: Date } | undefined {
    return load.unsent ? undefined : { owner: this.deps.sender.owner, until: new Date(now.getTime() + this.deps.sender.leaseMs) };
  }

  /** Staff wrote in the chat: recorded, the bot pauses there; `#bot` resolves the handoff and resumes the bot. */
  private async staff(tx: ChatTx, text: string, at: Date): Promise<void> {
    const iso = at.toISOString();
    const open = await tx.openHandoff();
    if (parseCommand(text)?.type === 'staff-resume') {
      if (open) await tx.updateHandoff(open.id, { status: 'resolved', resolvedAt: iso, resolution: 'staff-resumed-bot' });
      const state = await tx.state();
      if (state) await tx.saveState(resumedState(state), at);
      this.deps.log.info({ chat: maskChat(tx.chat), handoff: open?.id }, 'staff resumed the bot');
      return;
    }
    await recordStaffMessage(tx, text, at);
    this.deps.log.info({ chat: maskChat(tx.chat) }, 'staff wrote in the chat; bot paused');
  }

  /**
   * A turn that keeps failing (a bug, not the database) must not block the chat: its inbox item is finished without
   * a decision, the message kept in the transcript, and the client gets a short apology. Never rejects.
   */
  private async setAside(chat: string): Promise<boolean> {
    const { store, log, clock } = this.deps;
    try {
      const handled = await store.withChat(chat, async (tx) => {
        const item = await tx.nextInbox(clock.now());
        if (!item) return false;
        await tx.finishInbox(item.seq);
        if (item.work.kind !== 'message') return true;
        const m = item.work.message;
        const lang = (await tx.state())?.lang;
        const at = clock.now();
        await tx.touchContact(at, { inbound: true });
        const mediaId = await keepMessageMedia(tx, m, at);
        await tx.addMessages([{ direction: 'in', author: 'client', messageId: m.id, type: m.type, text: m.text ?? '', intent: 'error', at: at.toISOString(), mediaId }]);
        await tx.enqueue([lang ? STRINGS[lang].apology : `${STRINGS.es.apology}\n${STRINGS.en.apology}`], at);
        if (this.waiting.has(m.id)) this.waiting.set(m.id, 'failed');
        return true;
      });
      await this.deps.sender.flush(chat);
      return handled;
    } catch (err) {
      // The database itself is failing: stop draining this chat; the sweep tries again later.
      log.error({ err, chat: maskChat(chat) }, 'could not set the failed turn aside');
      return false;
    }
  }
}

/** The message as it can be stored on either backend: a NUL character in its text or name is dropped. */
function storable(message: InboundMessage): InboundMessage {
  if (!message.text.includes('\u0000') && !message.name?.includes('\u0000')) return message;
  return { ...message, text: withoutNul(message.text), ...(message.name !== undefined ? { name: withoutNul(message.name) } : {}) };
}

/**
 * Staff wrote in a chat (the linked phone or the dashboard): recorded in the transcript, and the open handoff's staff
 * activity updated — or, when none is open, a `human` handoff opened for the take-over (no notification: staff are
 * already there). Either way the bot pauses in that chat.
 */
export async function recordStaffMessage(tx: ChatTx, text: string, at: Date, staffName?: string): Promise<void> {
  const iso = at.toISOString();
  await tx.touchContact(at);
  await tx.addMessages([{ direction: 'out', author: 'staff', type: 'text', text, at: iso }]);
  const open = await tx.openHandoff();
  if (open) {
    await tx.updateHandoff(open.id, { activityAt: iso, lastStaffAt: iso, repliedAt: iso, claimedBy: open.claimedBy ? undefined : staffName });
    return;
  }
  const contact = await tx.contact();
  const handoff = await tx.insertHandoff({ kind: 'human', lang: contact?.lang ?? 'en', summary: 'Staff took over the conversation', at: iso, lastStaffAt: iso });
  if (staffName) await tx.updateHandoff(handoff.id, { claimedBy: staffName });
}
