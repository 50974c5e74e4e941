/**
 * The conversation engine's vocabulary: what comes in, what state a conversation keeps, what goes out.
 */
import type { IntentId, Lang } from '../nlu/types';

/** How a consultation happens. */
export type ConsultationMode = 'phone' | 'office';

/** A time interval as ISO-8601 UTC strings (plain data, stored as JSON). */
export interface Interval {
  readonly start: string;
  readonly end: string;
}

/** Kinds of WhatsApp message a channel can deliver; anything but `text` carries no words to understand. */
export type MessageType = 'text' | 'voice' | 'image' | 'video' | 'sticker' | 'location' | 'document' | 'contact' | 'other';

/** A message from a client, already mapped from the channel's own format. */
export interface InboundMessage {
  /** The channel's message id; a message id is answered at most once. */
  readonly id: string;
  /** The client's chat id (a phone number for WhatsApp, any stable id for the console). */
  readonly chat: string;
  readonly text: string;
  readonly type: MessageType;
  readonly receivedAt: Date;
  /** The client's display name, when the channel knows it. */
  readonly name?: string;
}

/** Who should take over a conversation, in priority order (urgent first). */
export type HandoffKind = 'urgent' | 'human' | 'consultation' | 'advice';

/** One entry of the last numbered list a client saw; the number they type is its position, starting at 1. */
export type Choice =
  | { readonly kind: 'intent'; readonly intent: IntentId }
  | { readonly kind: 'advice' }
  | { readonly kind: 'keep' }
  | { readonly kind: 'move'; readonly consultationId: number }
  | { readonly kind: 'cancel-consultation'; readonly consultationId: number };

/** A short form in progress: booking (or moving) a consultation, confirming an erasure or a cancellation. */
export type Form =
  | {
      readonly kind: 'booking';
      readonly step: 'mode' | 'name' | 'slot' | 'preference' | 'topic' | 'confirm';
      readonly mode?: ConsultationMode;
      readonly name?: string;
      readonly slot?: Interval;
      readonly preference?: string;
      readonly topic?: string;
      /** The slots last offered, in the order shown (a number picks one). */
      readonly offered?: readonly Interval[];
      /** Set when this form moves an existing consultation instead of booking a new one. */
      readonly moving?: number;
      /** Answers not understood at the current step. */
      readonly retries: number;
    }
  | { readonly kind: 'erase' }
  | { readonly kind: 'cancel-consultation'; readonly consultationId: number };

/** What the engine remembers about one conversation between turns. Plain data, stored as JSON. */
export interface ConversationState {
  readonly lang: Lang;
  /** The client chose the language with `english` / `español`; detection no longer switches it on weak evidence. */
  readonly langChosen: boolean;
  /** The one-time first-contact notice has been sent. */
  readonly noticeShown: boolean;
  /** Messages not understood in a row. */
  readonly misses: number;
  /** The last numbered list shown; a bare number picks from it (the menu when empty). */
  readonly choices: readonly Choice[];
  /** `urgent`: a detention was reported and the next messages are its details. */
  readonly mode: 'chat' | 'urgent';
  /** Details messages received since the last urgent report. */
  readonly urgentDetails?: number;
  /** The last question that was not understood, offered to the team on a second miss. */
  readonly pendingQuestion?: string;
  /** The client wrote `stop`/`baja`: nothing is answered until `start`/`inicio`. */
  readonly stopped: boolean;
  /** ISO time of the last turn. */
  readonly lastTurnAt?: string;
  /** A form in progress, if any. */
  readonly form?: Form;
  /** ISO time of the last "you are in the queue" reminder. */
  readonly remindedAt?: string;
}

/** The open handoff of a chat, as the engine sees it. */
export interface OpenHandoff {
  readonly id: number;
  readonly kind: HandoffKind;
  readonly createdAt: string;
  /** The pause is measured from here: creation, a repeated request, or the last staff activity. */
  readonly activityAt: string;
  /** Last time staff wrote in the chat or acted on the handoff, if ever. */
  readonly lastStaffAt?: string;
}

/** A consultation of this chat that is still to come (requested or confirmed). */
export interface UpcomingConsultation {
  readonly id: number;
  readonly status: 'requested' | 'confirmed';
  readonly mode: ConsultationMode;
  readonly slot?: Interval;
  readonly preference?: string;
}

/**
 * What the engine may read about the world besides the conversation state, loaded by the turn runner just before the
 * turn (so the engine itself stays pure): the chat's open handoff, its upcoming consultations, and the times other
 * clients hold.
 */
export interface TurnContext {
  readonly handoff?: OpenHandoff;
  readonly consultations: readonly UpcomingConsultation[];
  /** Every active consultation's time (any client), from now on. */
  readonly busy: readonly Interval[];
}

/** The context of a chat with nothing open and a free calendar. */
export const EMPTY_CONTEXT: TurnContext = Object.freeze({ consultations: [], busy: [] });

/** Something the engine decided should happen besides replying; carried out (or recorded) by the turn runner. */
export type Effect =
  | { readonly type: 'handoff.requested'; readonly kind: HandoffKind; readonly lang: Lang; readonly summary: string; readonly name?: string }
  | { readonly type: 'handoff.details'; readonly kind: HandoffKind; readonly text: string }
  /** The client left the queue (`cancel` while waiting for a person). */
  | { readonly type: 'handoff.withdrawn' }
  | {
      readonly type: 'consultation.requested';
      readonly mode: ConsultationMode;
      readonly name: string;
      readonly topic: string;
      readonly lang: Lang;
      readonly slot?: Interval;
      readonly preference?: string;
    }
  | { readonly type: 'consultation.cancelled'; readonly id: number; readonly lang: Lang }
  | { readonly type: 'consultation.moved'; readonly id: number; readonly lang: Lang; readonly slot?: Interval; readonly preference?: string }
  /** Erase the client's transcript and personal data (after their confirmation). */
  | { readonly type: 'contact.erased'; readonly lang: Lang };

/** What the engine understood of the message, for the transcript and analytics. */
export interface TurnAnalysis {
  /** The intent answered, or what the turn was (`command:menu`, `consultation_book`, `handoff:waiting`…). */
  readonly intent: string | null;
  readonly confidence: number | null;
  readonly lang: Lang;
}

/** The outcome of one turn. */
export interface TurnResult {
  readonly state: ConversationState;
  /** Messages to send, in order; never empty strings. */
  readonly replies: readonly string[];
  readonly effects: readonly Effect[];
  readonly analysis: TurnAnalysis;
}
