/**
 * What the rest of Puente needs from storage. SQLite implements it (`sqlite-store.ts`); an in-memory twin
 * (`memory-store.ts`) serves unit tests; a server database can replace both for several instances.
 */
import type { ConversationState, Effect, InboundMessage, TurnAnalysis } from '../dialogue/types';

/** Everything one turn changes, committed together or not at all. */
export interface TurnRecord {
  readonly message: InboundMessage;
  readonly state: ConversationState;
  readonly analysis: TurnAnalysis | null;
  readonly replies: readonly string[];
  readonly effects: readonly Effect[];
  readonly at: Date;
}

/** A reply waiting to be (or already) sent. */
export interface OutboxEntry {
  readonly id: number;
  readonly chat: string;
  readonly text: string;
}

/** A transcript line. */
export interface TranscriptEntry {
  readonly direction: 'in' | 'out';
  readonly text: string;
  readonly intent: string | null;
  readonly at: string;
}

/** A recorded effect. */
export interface EffectRecord {
  readonly id: number;
  readonly chat: string;
  readonly effect: Effect;
  readonly at: string;
}

/** Conversations, transcripts, de-duplication and the outbox. */
export interface ConversationStore {
  /** True when this message id was already handled (answered, or deliberately not answered). */
  isProcessed(messageId: string): boolean;
  /** The conversation state of a chat, or undefined for a client never seen. */
  loadState(chat: string): ConversationState | undefined;
  /**
   * Commits one turn atomically: contact, state, message id, transcript, outbox and effects. Returns the outbox
   * entries to send, or `duplicate` when the message id was already committed (nothing is changed then).
   */
  commitTurn(turn: TurnRecord): OutboxEntry[] | 'duplicate';
  /** Marks an outbox entry sent. */
  markSent(id: number, at: Date): void;
  /** Records a failed send attempt. */
  markFailed(id: number): void;
  /** Replies committed but not yet sent (after a crash or a failed send), oldest first. */
  unsent(limit?: number): OutboxEntry[];
  /** The transcript of a chat, oldest first. */
  transcript(chat: string): TranscriptEntry[];
  /** Effects recorded, oldest first (optionally only for one chat). */
  effects(chat?: string): EffectRecord[];
}
