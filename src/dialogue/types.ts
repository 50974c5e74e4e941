/**
 * The conversation engine's vocabulary: what comes in, what state a conversation keeps, what goes out.
 */
import type { IntentId, Lang } from '../nlu/types';

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
export type Choice = { readonly kind: 'intent'; readonly intent: IntentId } | { readonly kind: 'advice' };

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
}

/** Something the engine decided should happen besides replying; carried out (or recorded) by the turn runner. */
export type Effect =
  | { readonly type: 'handoff.requested'; readonly kind: HandoffKind; readonly lang: Lang; readonly summary: string }
  | { readonly type: 'handoff.details'; readonly kind: HandoffKind; readonly text: string };

/** What the engine understood of the message, for the transcript and analytics. */
export interface TurnAnalysis {
  readonly intent: IntentId | null;
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
