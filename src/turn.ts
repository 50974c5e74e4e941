/**
 * One turn, end to end: de-duplicate, keep each chat in order, load → decide → persist (one transaction) → send.
 * This is the single error boundary for every channel: nothing escapes into the channel's event loop and no stack
 * trace reaches a client.
 */
import { parseCommand } from './dialogue/commands';
import { initialState, resumedState, type DialogueEngine } from './dialogue/engine';
import { STRINGS } from './dialogue/strings';
import type { ConversationState, InboundMessage } from './dialogue/types';
import { maskChat, type Logger } from './log';
import { SlotTakenError, type ConversationStore, type OutboxEntry, type TurnRecord } from './storage/types';

/** Where time comes from; tests pass a fake. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Sends a text to a chat through the active channel. Rejects when the channel could not send it. */
export interface Outbound {
  send(chat: string, text: string): Promise<void>;
}

/** How one inbound message ended. */
export type TurnOutcome = 'answered' | 'silent' | 'duplicate' | 'rate-limited' | 'failed';

/** Flood protection per chat. */
export interface RateLimit {
  /** Messages allowed per window. */
  readonly max: number;
  readonly windowMs: number;
}

/** Dependencies of the runner. */
export interface TurnRunnerDeps {
  readonly store: ConversationStore;
  readonly engine: DialogueEngine;
  readonly outbound: Outbound;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly rateLimit?: RateLimit;
  /** Called after a turn that recorded effects (staff notifications may be due). */
  readonly afterEffects?: () => void;
}

/** What a staff message did. */
export type StaffOutcome = 'recorded' | 'resumed' | 'failed';

const FLOOD_NOTICE = {
  en: 'You are sending many messages very quickly. I will read the next ones in a minute. If this is an emergency, a person will see your messages.',
  es: 'Está enviando muchos mensajes muy rápido. Leeré los siguientes en un minuto. Si es una emergencia, una persona verá sus mensajes.',
};

/** Runs turns. One instance per process. */
export class TurnRunner {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly recent = new Map<string, { times: number[]; warned: boolean }>();
  private readonly clock: Clock;
  private readonly rateLimit: RateLimit;

  constructor(private readonly deps: TurnRunnerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.rateLimit = deps.rateLimit ?? { max: 12, windowMs: 60_000 };
  }

  /**
   * Handles one inbound message. Messages of one chat run strictly in arrival order; different chats run
   * independently. Never rejects.
   */
  handle(message: InboundMessage): Promise<TurnOutcome> {
    return this.enqueue(message.chat, () => this.run(message));
  }

  private enqueue<T>(chat: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(chat) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.catch(() => undefined);
    this.queues.set(chat, tail);
    void tail.then(() => {
      if (this.queues.get(chat) === tail) this.queues.delete(chat);
    });
    return run;
  }

  /**
   * Staff wrote in a chat (the linked phone or the dashboard): the bot pauses there. `#bot` resumes it instead.
   * Runs in the chat's queue, after the turns before it. Never rejects.
   */
  staffMessage(chat: string, text: string): Promise<StaffOutcome> {
    return this.enqueue(chat, async () => {
      const { store, log } = this.deps;
      try {
        const resume = parseCommand(text)?.type === 'staff-resume';
        const state = store.loadState(chat);
        const result = store.recordStaffMessage(chat, text, this.clock.now(), { resumeBot: resume, state: resume && state ? resumedState(state) : undefined });
        log.info({ chat: maskChat(chat), handoff: result.handoffId, resumed: result.resumed }, resume ? 'staff resumed the bot' : 'staff replied; bot paused');
        return resume ? 'resumed' : 'recorded';
      } catch (err) {
        log.error({ err, chat: maskChat(chat) }, 'staff message failed');
        return 'failed';
      }
    });
  }

  /**
   * Sends a message to a client from the firm, in the chat's queue: `staff` (a reply typed in the dashboard: recorded as
   * staff activity, so the bot pauses there) or `firm` (a confirmation written by Puente on staff's behalf). The message
   * is queued first, so a channel that is down sends it later. Resolves with whether it went out now.
   */
  sendToClient(chat: string, text: string, as: 'staff' | 'firm'): Promise<'sent' | 'queued'> {
    return this.enqueue(chat, async () => {
      const { store, log } = this.deps;
      const now = this.clock.now();
      if (as === 'staff') store.recordStaffMessage(chat, text, now);
      const entry = store.enqueue(chat, text, now, as === 'firm' ? 'bot' : undefined);
      log.info({ chat: maskChat(chat), as }, 'message to client from the dashboard');
      return (await this.deliver(entry)) ? 'sent' : 'queued';
    });
  }

  /** Resolves when every turn accepted so far has finished (used on shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /** Sends replies that were committed but never sent (after a crash or a failed send). Returns how many were sent. */
  async flushOutbox(): Promise<number> {
    let sent = 0;
    for (const entry of this.deps.store.unsent()) if (await this.deliver(entry)) sent++;
    return sent;
  }

  private async run(message: InboundMessage): Promise<TurnOutcome> {
    const { store, engine, log } = this.deps;
    try {
      if (store.isProcessed(message.id)) return 'duplicate';
      const now = this.clock.now();
      if (this.flooding(message.chat, now)) return this.throttle(message, store.loadState(message.chat), now);
      const decide = (): TurnRecord => {
        const result = engine.handle(store.loadState(message.chat), message, now, store.loadContext(message.chat, now));
        return { message, state: result.state, analysis: result.analysis, replies: result.replies, effects: result.effects, at: now };
      };
      let turn = decide();
      let outbox: OutboxEntry[] | 'duplicate';
      try {
        outbox = store.commitTurn(turn);
      } catch (err) {
        if (!(err instanceof SlotTakenError)) throw err;
        // Another process took the consultation time between our read and our write: decide again on fresh data.
        log.info({ chat: maskChat(message.chat), messageId: message.id }, 'consultation time taken meanwhile; re-deciding');
        turn = decide();
        outbox = store.commitTurn(turn);
      }
      if (outbox === 'duplicate') return 'duplicate';
      log.info({ chat: maskChat(message.chat), messageId: message.id, intent: turn.analysis?.intent, lang: turn.analysis?.lang, effects: turn.effects.map((e) => e.type) }, 'turn');
      if (turn.effects.length > 0) this.deps.afterEffects?.();
      for (const entry of outbox) await this.deliver(entry);
      return outbox.length > 0 ? 'answered' : 'silent';
    } catch (err) {
      log.error({ err, chat: maskChat(message.chat), messageId: message.id }, 'turn failed');
      await this.apologise(message);
      return 'failed';
    }
  }

  private flooding(chat: string, now: Date): boolean {
    const { max, windowMs } = this.rateLimit;
    const entry = this.recent.get(chat) ?? { times: [], warned: false };
    entry.times = entry.times.filter((t) => now.getTime() - t < windowMs);
    entry.times.push(now.getTime());
    if (entry.times.length <= max) entry.warned = false;
    this.recent.set(chat, entry);
    return entry.times.length > max;
  }

  /** Over the limit: the message is kept (transcript, de-duplication) and one polite notice is sent per flood. */
  private async throttle(message: InboundMessage, previous: ConversationState | undefined, now: Date): Promise<TurnOutcome> {
    const { store } = this.deps;
    const state = previous ?? initialState();
    const entry = this.recent.get(message.chat)!;
    const replies = entry.warned ? [] : [FLOOD_NOTICE[state.lang]];
    entry.warned = true;
    const outbox = store.commitTurn({ message, state, analysis: null, replies, effects: [], at: now });
    if (outbox !== 'duplicate') for (const e of outbox) await this.deliver(e);
    this.deps.log.warn({ chat: maskChat(message.chat), messageId: message.id }, 'rate limited');
    return 'rate-limited';
  }

  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const { store, outbound, log } = this.deps;
    try {
      await outbound.send(entry.chat, entry.text);
      store.markSent(entry.id, this.clock.now());
      return true;
    } catch (err) {
      store.markFailed(entry.id);
      log.warn({ err, chat: maskChat(entry.chat), outboxId: entry.id }, 'send failed; will retry');
      return false;
    }
  }

  private async apologise(message: InboundMessage): Promise<void> {
    try {
      const lang = this.deps.store.loadState(message.chat)?.lang;
      const text = lang ? STRINGS[lang].apology : `${STRINGS.en.apology}\n${STRINGS.es.apology}`;
      await this.deps.outbound.send(message.chat, text);
    } catch (err) {
      this.deps.log.error({ err, chat: maskChat(message.chat) }, 'apology failed');
    }
  }
}
