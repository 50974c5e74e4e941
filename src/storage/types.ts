/**
 * What the rest of Puente needs from storage. SQLite implements it (`sqlite-store.ts`); a server database can replace
 * it for several instances behind a load balancer, as long as it keeps these contracts (test/storage runs them).
 */
import type {
  ConsultationMode, ConversationState, Effect, HandoffKind, InboundMessage, Interval, TurnAnalysis, TurnContext,
} from '../dialogue/types';
import type { Lang } from '../nlu/types';

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
  readonly author: 'client' | 'bot' | 'staff';
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

/** Handoff kinds in priority order: a lower number is served first. */
export const HANDOFF_PRIORITY: Readonly<Record<HandoffKind, number>> = { urgent: 0, human: 1, consultation: 2, advice: 3 };

/** How a handoff ended. */
export type HandoffResolution = 'staff' | 'staff-resumed-bot' | 'client-withdrew' | 'client-erased';

/** A handoff as staff see it. */
export interface HandoffRecord {
  readonly id: number;
  readonly chat: string;
  readonly kind: HandoffKind;
  readonly priority: number;
  readonly status: 'open' | 'resolved';
  readonly lang: Lang;
  readonly name?: string;
  readonly summary: string;
  readonly consultationId?: number;
  readonly claimedBy?: string;
  readonly createdAt: string;
  readonly activityAt: string;
  readonly lastStaffAt?: string;
  readonly resolvedAt?: string;
  readonly resolution?: HandoffResolution;
}

/** Where a consultation stands. */
export type ConsultationStatus = 'requested' | 'confirmed' | 'cancelled' | 'completed';

/** A consultation request. */
export interface ConsultationRecord {
  readonly id: number;
  readonly chat: string;
  readonly status: ConsultationStatus;
  readonly mode: ConsultationMode;
  readonly name?: string;
  readonly topic?: string;
  readonly lang: Lang;
  readonly slot?: Interval;
  readonly preference?: string;
  readonly note?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Something staff must hear about. */
export type StaffEvent =
  | {
      readonly type: 'handoff';
      readonly handoff: HandoffRecord;
      /** True when an open handoff became more urgent (e.g. human → urgent). */
      readonly escalated: boolean;
      readonly consultation?: ConsultationRecord;
    }
  | { readonly type: 'consultation.cancelled'; readonly consultation: ConsultationRecord; readonly byErasure: boolean }
  | { readonly type: 'consultation.moved'; readonly consultation: ConsultationRecord };

/** What to send staff about an event: the text, to whom, and not before when (office hours, except urgent). */
export interface NotificationPlan {
  readonly recipients: readonly string[];
  readonly text: string;
  readonly priority: number;
  readonly notBefore: Date;
}

/** Turns staff events into notifications; called inside the transaction that records the event. */
export type NotificationPlanner = (event: StaffEvent, at: Date) => NotificationPlan;

/** A staff notification and its delivery state. */
export interface NotificationRecord {
  readonly id: number;
  readonly handoffId?: number;
  readonly event: string;
  readonly priority: number;
  /** Staff number; undefined when no number is configured (the record is for the dashboard only). */
  readonly recipient?: string;
  readonly text: string;
  readonly createdAt: string;
  readonly notBefore: string;
  readonly nextAttemptAt: string;
  readonly attempts: number;
  readonly lastError?: string;
  readonly sentAt?: string;
  readonly givenUpAt?: string;
}

/** Thrown by a commit whose consultation time another client already holds; the commit changed nothing. */
export class SlotTakenError extends Error {
  constructor(readonly slot: Interval) {
    super('that consultation time is already taken');
  }
}

/** What a purge removed. */
export interface PurgeCounts {
  readonly messages: number;
  readonly contacts: number;
  readonly other: number;
}

/** Conversations, transcripts, de-duplication, the outbox and the turn's view of handoffs and consultations. */
export interface ConversationStore {
  /** True when this message id was already handled (answered, or deliberately not answered). */
  isProcessed(messageId: string): boolean;
  /** The conversation state of a chat, or undefined for a client never seen. */
  loadState(chat: string): ConversationState | undefined;
  /** The chat's open handoff, upcoming consultations, and the consultation times held by anyone, as of `now`. */
  loadContext(chat: string, now: Date): TurnContext;
  /**
   * Commits one turn atomically: contact, state, message id, transcript, outbox, effects and what they change
   * (handoffs, consultations, staff notifications, erasure). Returns the outbox entries to send, or `duplicate` when
   * the message id was already committed. Throws {@link SlotTakenError} (nothing changed) when a consultation time
   * in the effects is no longer free.
   */
  commitTurn(turn: TurnRecord): OutboxEntry[] | 'duplicate';
  /**
   * Staff wrote in a chat (from the linked phone or the dashboard). Records it and pauses the bot there: the open
   * handoff's staff activity is updated, or a `human` handoff is opened for the take-over. With `resumeBot` (`#bot`),
   * the open handoff is resolved instead and nothing is recorded in the transcript. `state`, when given, is saved as
   * the conversation's new state in the same transaction.
   */
  recordStaffMessage(chat: string, text: string, at: Date, options?: { resumeBot?: boolean; state?: ConversationState }): { handoffId?: number; resumed: boolean };
  /**
   * Queues a message to a client outside a turn (a staff reply, a confirmation): outbox row, and a transcript line by
   * `author` when given, in one transaction.
   */
  enqueue(chat: string, text: string, at: Date, author?: 'bot' | 'staff'): OutboxEntry;
  /** Marks an outbox entry sent. */
  markSent(id: number, at: Date): void;
  /** Records a failed send attempt. */
  markFailed(id: number): void;
  /** Replies committed but not yet sent (after a crash or a failed send), oldest first; not those that failed 10 times. */
  unsent(limit?: number): OutboxEntry[];
  /** The transcript of a chat, oldest first. */
  transcript(chat: string): TranscriptEntry[];
  /** Effects recorded, oldest first (optionally only for one chat). */
  effects(chat?: string): EffectRecord[];
}

/** The staff side: the queue of handoffs and the consultation calendar. */
export interface StaffStore {
  /** Open handoffs, urgent first, then oldest first. */
  openHandoffs(): HandoffRecord[];
  handoff(id: number): HandoffRecord | undefined;
  /** Handoffs of a chat, newest first. */
  handoffsOf(chat: string): HandoffRecord[];
  /** Resolves an open handoff; false when it was not open. */
  resolveHandoff(id: number, at: Date, resolution?: HandoffResolution): boolean;
  consultation(id: number): ConsultationRecord | undefined;
  /** Consultations whose time (or, without a time, creation) falls in [from, to), by time. */
  consultations(range?: { from?: Date; to?: Date }): ConsultationRecord[];
  /** Moves a consultation to a new status; false when the change is not allowed from its current status. */
  setConsultationStatus(id: number, status: ConsultationStatus, at: Date, note?: string): boolean;
  /** Marks an open handoff as taken by a staff member; false when it is not open. */
  claimHandoff(id: number, staff: string, at: Date): boolean;
  /** Client messages since `from`: when, the intent answered, the language (for insights). */
  inboundSince(from: Date): { at: string; intent: string | null; lang: string | null }[];
  /** The messages answered `none` most often since `from` (case and spacing folded), most frequent first. */
  unrecognised(from: Date, limit: number): { text: string; lang: string | null; count: number }[];
}

/** Delivery of staff notifications. */
export interface NotificationStore {
  /** Notifications due for sending at `now`, most urgent first. */
  dueNotifications(now: Date, limit?: number): NotificationRecord[];
  markNotificationSent(id: number, at: Date): void;
  /** Records a failed attempt; `retryAt` undefined means give up. */
  markNotificationFailed(id: number, error: string, retryAt: Date | undefined, at: Date): void;
  /** Recent notifications, newest first. */
  notifications(limit?: number): NotificationRecord[];
  /** The next time a pending notification becomes due, if any. */
  nextNotificationAt(): Date | undefined;
}

/** Retention. */
export interface RetentionStore {
  /** Removes transcripts and personal data older than `before` (open handoffs and upcoming consultations are kept). */
  purge(before: Date): PurgeCounts;
}

/** Everything storage offers; the SQLite store implements it all in one database so a turn stays one transaction. */
export type Store = ConversationStore & StaffStore & NotificationStore & RetentionStore;
